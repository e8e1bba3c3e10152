"""Stream processing: Faust workers that score, aggregate, detect, discover endpoints and store in ClickHouse."""
