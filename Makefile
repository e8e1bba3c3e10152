# Rampart: `make demo` runs the main job end to end; `make test` runs the whole test suite.
# Both install what is missing first (apt packages, .venv, Kafka jars) and start the local stack.
.PHONY: setup up down status demo test clean

PY := .venv/bin/python
RAMPART := .venv/bin/rampart

setup:
	@bash infra/setup.sh

up: setup
	@$(RAMPART) stack up

down:
	@$(RAMPART) stack down

status:
	@$(RAMPART) stack status

demo: up
	@$(PY) -m infra.demo

test: up
	@$(PY) -m pytest -q -p no:cacheprovider tests; rc=$$?; \
	 if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc

clean: down
	rm -rf .rampart/logs .rampart/run
