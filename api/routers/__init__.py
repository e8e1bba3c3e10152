"""HTTP routers of the regional API, one module per resource."""
