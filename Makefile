# Two commands on a fresh clone: `make demo` and `make test` (see README.md).
.PHONY: demo test lint format bootstrap

demo:
	scripts/bootstrap
	.venv/bin/koinotita demo

test:
	scripts/bootstrap --test
	scripts/test

lint:
	scripts/bootstrap
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format:
	scripts/bootstrap
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .
