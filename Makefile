# Claimmark: `make run` to use it, `make test` to check it. Everything lives in .venv/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint screenshot bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): on Debian, install python3-venv (sudo apt install python3-venv)."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/desktop-app $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/benchmarks/run_benchmarks.py

screenshot: $(STAMP)
	xvfb-run -a -s "-screen 0 1400x900x24" $(BIN)/python packaging/make_screenshot.py docs/screenshot.png
	xvfb-run -a -s "-screen 0 1400x900x24" $(BIN)/python packaging/make_screenshot.py docs/analysis-dark.png analysis
	xvfb-run -a -s "-screen 0 1400x900x24" $(BIN)/python packaging/make_screenshot.py docs/codebook-dark.png codebook-dark
	xvfb-run -a -s "-screen 0 1400x900x24" $(BIN)/python packaging/make_screenshot.py docs/claims-light.png claims-light

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
