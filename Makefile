# PixelBytes: every target installs what it needs into .venv inside the clone (git-ignored), so a fresh
# clone proves the install from scratch. `make demo` runs the main job; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
BIN := $(VENV)/bin
# Tests and docs never touch the network or a GPU. nbdev_test runs two notebooks at once: one thread each, since
# two multi-threaded torch processes on two cores slow each other down by orders of magnitude (OpenMP spinning).
OFFLINE := HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 CUDA_VISIBLE_DEVICES= MPLBACKEND=Agg
# The book executes its chapters with Jupyter's inline backend (MPLBACKEND=Agg would draw every figure nowhere).
BOOK_ENV := HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 CUDA_VISIBLE_DEVICES=

.PHONY: help install dev demo test export check-export nbtest pytest readme bench book report study pokemon pokemon-flavour pokemon-flip pokemon-dropout toy recipe toy-budget experiments kaggle book-check clean

help:
	@echo "make demo    install and run the main job on the embedded toy data (outputs/demo)"
	@echo "make test    install dev tools and run every test (export check, nbdev_test, pytest)"
	@echo "make book    build the jupyter-book site into _build/html"
	@echo "make report  compile report/pixelbytes.tex to report/pixelbytes.pdf (installs TeX Live via apt when root)"
	@echo "make bench   print the benchmarks' figures"
	@echo "make experiments  papermill runs of experiments/*.ipynb (tiny, toy set; EXPERIMENTS_ARGS='--data pokemon --grid backbones')"
	@echo "make kaggle  the Kaggle notebook kaggle/pixelbytes.ipynb top to bottom on CPU with tiny parameters (outputs/kaggle)"
	@echo "make pokemon train, evaluate and sample the reference model on ../shared/data/pokemon (CPU, ~30 min) into results/"
	@echo "make pokemon-flavour  the reference's twin on flavour texts alone, paired with it by species (CPU, ~25 min)"
	@echo "make pokemon-flip / pokemon-dropout  the reference's twin without mirrored sprites / dropout, compared paired (CPU, ~20 min each)"
	@echo "make toy     the demo (toy set) at 1,400 steps of 16, tables and figures kept in results/toy-transformer (CPU, ~5 min with AMX bf16, longer elsewhere)"
	@echo "make recipe  the demo's training recipe, one change at a time, into results/toy-recipe (CPU, ~30 min)"
	@echo "make study  LSTM vs Transformer vs Mamba at equal CPU time: rates, sizes, seeds, toy and Pokémon, into report/results/study (CPU, ~7 h; resumable)"
	@echo "make toy-budget  what the demo's 5 minutes buy on this machine: one change at a time at equal wall time, targets against minutes, the solved point, into results/toy-budget (CPU, ~2 h from nothing; finished runs kept)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# torch first, pinned to the CPU wheel, unless the environment already has one (Kaggle/Colab keep their CUDA build)
$(VENV)/.runtime: settings.ini setup.py | $(PY)
	$(PY) -c "import torch" 2>/dev/null || $(PIP) install torch==2.13.0
	$(PIP) install -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime settings.ini
	$(PIP) install -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name python3 >/dev/null
	touch $@

install: $(VENV)/.runtime
dev: $(VENV)/.dev

demo: $(VENV)/.runtime
	$(PY) -m pixelbytes demo

# The package must be exactly what the notebooks export.
check-export: $(VENV)/.dev
	@before=$$(find pixelbytes -type f -name '*.py' | sort | xargs sha256sum); \
	$(BIN)/nbdev_export; \
	after=$$(find pixelbytes -type f -name '*.py' | sort | xargs sha256sum); \
	if [ "$$before" != "$$after" ]; then \
	  echo "nbdev_export changed pixelbytes/: the package differs from the notebooks. Edit nbs/, run nbdev_export, commit both."; \
	  diff <(echo "$$before") <(echo "$$after") || true; exit 1; fi; \
	echo "nbdev_export: pixelbytes/ matches the notebooks"

nbtest: $(VENV)/.dev
	cd nbs && $(OFFLINE) OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 PATH=$(CURDIR)/$(BIN):$$PATH $(CURDIR)/$(BIN)/nbdev_test --path . --n_workers 2

pytest: $(VENV)/.dev
	$(OFFLINE) PATH=$(CURDIR)/$(BIN):$$PATH $(PY) -m pytest tests -q

test: check-export nbtest pytest

readme: $(VENV)/.dev
	$(PY) tools/readme.py --write

bench: $(VENV)/.runtime
	$(PY) tools/outputs.py begin bench
	$(PY) benchmarks/bench_pixelate.py
	$(PY) benchmarks/bench_contexts.py
	$(PY) -c "from pixelbytes.bench import run_benchmarks, format_results; print(format_results(run_benchmarks(out='outputs/bench/results.json')))"
	$(PY) -c "import mambapy" 2>/dev/null || $(PIP) install "mambapy>=1.2"
	$(PY) benchmarks/bench_mamba.py
	$(PY) tools/outputs.py seal bench outputs/bench

# The report page embeds report/pixelbytes.pdf: compiled first when missing.
book: $(VENV)/.dev
	@test -f report/pixelbytes.pdf || $(MAKE) --no-print-directory report
	$(BOOK_ENV) PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/jupyter-book build . --warningiserror --keep-going
	@echo "book: $(CURDIR)/_build/html/index.html"

# The rendered home page in a headless browser (installs Debian's chromium when missing and allowed to).
book-check: $(VENV)/.dev
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq --no-install-recommends chromium >/dev/null; } || \
	  { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
	PIXELBYTES_REQUIRE_BOOK=1 $(PY) -m pytest tests/test_book.py -q

# TeX Live from Debian's packages, installed when missing and allowed to (root); otherwise a one-line hint.
TEXLIVE := latexmk texlive-latex-recommended texlive-fonts-recommended lmodern
report:
	@command -v latexmk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEXLIVE) >/dev/null; }; } || \
	  { echo "latexmk not found: apt-get install $(TEXLIVE)"; exit 1; }
	@printf '\\newcommand{\\pbversion}{%s, commit %s}\n' "$$(sed -n 's/^version = //p' settings.ini)" \
	  "$$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" > report/version.tex   # the title block's version
	cd report && latexmk -pdf -interaction=nonstopmode -halt-on-error pixelbytes.tex >/dev/null && echo "report: $(CURDIR)/report/pixelbytes.pdf"

# Parameterized experiment notebooks, one executed copy per run (GPUs stay visible here, unlike the tests).
EXPERIMENTS_ARGS ?=
experiments: $(VENV)/.dev
	$(BOOK_ENV) PATH=$(CURDIR)/$(BIN):$$PATH $(PY) tools/experiments.py $(EXPERIMENTS_ARGS)   # inline figures: the pages show them

# The Kaggle notebook, top to bottom, as CI runs it: CPU, tiny parameters, no install (the package is this clone), no push.
kaggle: $(VENV)/.dev
	mkdir -p outputs/kaggle
	$(OFFLINE) PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/papermill kaggle/pixelbytes.ipynb outputs/kaggle/pixelbytes.ipynb -k python3 --cwd outputs/kaggle \
	  -p install False -p toy_records 120 -p backbone transformer -p d_model 32 -p n_layers 1 -p max_steps 6 -p batch_size 8 -p eval_n 4 -p out run
	@echo "kaggle notebook: $(CURDIR)/outputs/kaggle/pixelbytes.ipynb"

# The Pokémon reference run, budget stated here: CPU (bf16 autocast where the CPU computes it natively), a 697k-parameter
# LSTM (d184x2, PxByEmbed k=5, row/column embeddings, dropout 0.1), batches of 16 whole records for PK_MINUTES of training
# (the step count fitted to them on the machine at hand; the whole target about 30 minutes on 2 CPU cores). Captions are
# Pokédex entries (colour, shape, types, size) followed by the flavour text; every English Pokédex text of the 738
# training species: the main text alone with the sprite, the others joined three to a record with the sprite repeated,
# and every training sprite also mirrored left-right. Validation and test species are scored once, on their main text.
# The checkpoint (lowest validation loss) and the guidance scale are chosen on validation; retrieval ranks every test
# species. `make pokemon-flavour` is the same run on flavour texts alone, paired with it by species.
# Tables and samples go to results/; a rerun replaces the previous run and results (--overwrite).
POKEMON ?= ../shared/data/pokemon
PK_MINUTES ?= 16
PK_BUILD := build --source folder --path $(POKEMON) --extra-captions --captions-per-record 3 --quiet
PK_TRAIN = train --backbone lstm --d-model 184 --n-layers 2 --k 5 --pos2d --redraw-layouts --dropout 0.1 --batch-size 16 \
  --max-minutes $(PK_MINUTES) --max-steps 100000 --lr 3e-3 --eval-every 200 --device cpu --quiet --overwrite \
  --mixed-precision $$($(PY) -c "from pixelbytes.machine import cpu_bf16; print('bf16' if cpu_bf16() else 'no')")
# --n-retrieval 1000: every test species (the split holds fewer)
PK_EVAL := --n 32 --n-retrieval 1000 --temperature 0.7 --guidance 1 2 --device cpu --quiet
PK_DATA := data/pokemon-reference
PK_RUN := runs/pokemon-reference
PK_OUT := results/pokemon-reference
PK_TARGETS := 'bits_per_byte<=2.0' 'information_bits>=0' 'text→image:specificity_bits>=0' 'retrieval_top5>=chance_top5' \
  'image→text colour:accuracy>=0.4' 'text→image colour:accuracy>=2*baseline'
PK_PROMPTS := "Emberling, the Spark Pokémon: red, quadruped, Fire type, 0.6 m, 8.5 kg. It sleeps curled around the embers of its tail." \
  "Emberling, the Spark Pokémon: blue, quadruped, Fire type, 0.6 m, 8.5 kg. It sleeps curled around the embers of its tail."
pokemon: $(VENV)/.runtime
	@test -d $(POKEMON) || { echo "$(POKEMON): Pokémon data not found (set POKEMON=...)"; exit 1; }
	$(PY) tools/outputs.py begin pokemon
	t0=$$(date +%s) && $(PY) -m pixelbytes $(PK_BUILD) --caption-form entry --flip --out $(PK_DATA) && \
	t1=$$(date +%s) && $(PY) -m pixelbytes $(PK_TRAIN) --data $(PK_DATA) --out $(PK_RUN) && \
	t2=$$(date +%s) && $(PY) -m pixelbytes evaluate --checkpoint $(PK_RUN)/best --metrics bits perplexity accuracy precision recall f1 bleu chrf ssim \
	  completion information attributes $(PK_EVAL) --out $(PK_RUN)/eval-best && \
	t3=$$(date +%s) && $(PY) -m pixelbytes generate --checkpoint $(PK_RUN)/best --prompt $(PK_PROMPTS) --n 2 --temperature 0.7 \
	  --guidance $$($(PY) -c "import json; print(json.load(open('$(PK_RUN)/eval-best/generation.json'))[-1]['guidance'])") --format png gif txt --out $(PK_RUN)/samples --quiet && \
	t4=$$(date +%s) && $(PY) tools/outputs.py publish pokemon $(PK_OUT) $(PK_RUN)/eval-best/. $(PK_RUN)/loss.png $(PK_RUN)/metrics.jsonl $(PK_RUN)/samples && \
	$(PY) tools/results_page.py --run $(PK_RUN) --eval $(PK_OUT) --title "Pokémon reference run (Pokédex-entry captions)" --target $(PK_TARGETS) \
	  --seconds build=$$((t1 - t0)) train=$$((t2 - t1)) evaluate=$$((t3 - t2)) samples=$$((t4 - t3)) --out $(PK_OUT)/README.md

# The reference's twin on flavour texts alone (same settings and minutes), paired with it on the test species
# (tools/caption_forms.py): bits per byte of the flavour text (after the entry, in the reference), bits per pixel,
# information and retrieval among every test species, and the colour of sprites each draws for the first 32. About 25 minutes.
pokemon-flavour: $(VENV)/.runtime
	@test -f $(PK_RUN)/best/config.json || { echo "$(PK_RUN)/best: run make pokemon first"; exit 1; }
	$(PY) tools/outputs.py begin pokemon-flavour
	$(PY) -m pixelbytes $(PK_BUILD) --flip --out $(PK_DATA)-flavour
	$(PY) -m pixelbytes $(PK_TRAIN) --data $(PK_DATA)-flavour --out $(PK_RUN)-flavour
	$(PY) -m pixelbytes evaluate --checkpoint $(PK_RUN)-flavour/best --metrics bits information $(PK_EVAL) --out $(PK_RUN)-flavour/eval-best
	$(PY) tools/caption_forms.py --entry $(PK_RUN) --flavour $(PK_RUN)-flavour --out results/pokemon-flavour
	cp $(PK_RUN)-flavour/loss.png results/pokemon-flavour/loss-flavour.png && cp $(PK_RUN)-flavour/metrics.jsonl results/pokemon-flavour/metrics-flavour.jsonl
	$(PY) tools/outputs.py seal pokemon-flavour results/pokemon-flavour

# Twins of the reference that change one setting, trained with the same budget and compared with it teacher-forced on
# the same validation and test species, by a paired bootstrap over records (tools/paired.py). Each needs `make pokemon`
# first and takes about 20 minutes; one seed each.
PK_PAIRED = $(PY) tools/paired.py --a $(PK_RUN)/best --split validation test --quiet
pokemon-flip: $(VENV)/.runtime
	@test -f $(PK_RUN)/best/config.json || { echo "$(PK_RUN)/best: run make pokemon first"; exit 1; }
	$(PY) tools/outputs.py begin pokemon-flip
	$(PY) -m pixelbytes $(PK_BUILD) --out $(PK_DATA)-noflip
	$(PY) -m pixelbytes $(PK_TRAIN) --data $(PK_DATA)-noflip --out $(PK_RUN)-noflip
	$(PK_PAIRED) --b $(PK_RUN)-noflip/best --names mirrored "not mirrored" --title "Mirrored training sprites against none (Pokémon reference)" --out results/pokemon-flip
	cp $(PK_RUN)-noflip/loss.png results/pokemon-flip/loss-noflip.png && cp $(PK_RUN)-noflip/metrics.jsonl results/pokemon-flip/metrics-noflip.jsonl
	$(PY) tools/outputs.py seal pokemon-flip results/pokemon-flip
pokemon-dropout: $(VENV)/.runtime
	@test -f $(PK_RUN)/best/config.json || { echo "$(PK_RUN)/best: run make pokemon first"; exit 1; }
	$(PY) tools/outputs.py begin pokemon-dropout
	$(PY) -m pixelbytes $(PK_TRAIN) --dropout 0 --data $(PK_DATA) --out $(PK_RUN)-nodropout
	$(PK_PAIRED) --b $(PK_RUN)-nodropout/best --names "dropout 0.1" "no dropout" --title "Dropout against none (Pokémon reference)" --out results/pokemon-dropout
	cp $(PK_RUN)-nodropout/loss.png results/pokemon-dropout/loss-nodropout.png && cp $(PK_RUN)-nodropout/metrics.jsonl results/pokemon-dropout/metrics-nodropout.jsonl
	$(PY) tools/outputs.py seal pokemon-dropout results/pokemon-dropout

# The demo's model at a fixed budget (1,400 steps of 16 windows at learning rate 3e-3: what its 5 minutes held on 2 cores with AMX bf16 before its batch became 4 and its rate 1.5e-3), kept: its tables (test split, intervals, information and retrieval) and figures go to results/.
TOY_OUT := results/toy-transformer
toy: $(VENV)/.runtime
	$(PY) tools/outputs.py begin toy
	$(PY) -m pixelbytes demo --out outputs/toy-results --max-steps 1400 --batch-size 16 --lr 3e-3 --quiet
	$(PY) tools/outputs.py publish toy $(TOY_OUT) outputs/toy-results/eval/. outputs/toy-results/run/loss.png outputs/toy-results/run/metrics.jsonl \
	  outputs/toy-results/eval-systematic=systematic

# The demo's training recipe, one change at a time, and its targets against minutes of training (results/toy-recipe/;
# about 45 minutes on 2 CPU cores; finished runs in outputs/recipe are kept).
recipe: $(VENV)/.runtime
	$(PY) tools/outputs.py begin recipe
	MPLBACKEND=Agg $(PY) tools/recipe.py
	$(PY) tools/outputs.py seal recipe results/toy-recipe

# What the demo's five minutes buy on this machine: the demo (test), its settings one change at a time at equal wall time
# (validation; its learning rate against the one before over seeds 0-2), then the demo given 10 minutes and 30 at batch 16, and
# 5, 10 and 20 minutes and 40 at batch 16 at its learning rate before (test);
# results/toy-budget/, about 2 hours on 2 CPU cores from nothing; finished runs (outputs/budget, or rows in results) kept.
toy-budget: $(VENV)/.runtime
	$(PY) tools/outputs.py begin toy-budget
	MPLBACKEND=Agg $(PY) tools/budget.py
	$(PY) tools/outputs.py seal toy-budget results/toy-budget

# LSTM against Transformer against Mamba at equal CPU time (issue 34): whether torch.compile pays (per backbone, measured once),
# each backbone's learning rate chosen on validation, three sizes matched in parameters, seeds, on the toy set and on Pokémon;
# report/results/study/ (the book's page, the report's tables). About 7 hours on 2 CPU cores from nothing: run it in the
# background; finished runs (outputs/study/runs, or rows kept in the results) are skipped, an interrupted one resumed.
study: $(VENV)/.runtime
	$(PY) tools/outputs.py begin study
	test -f report/results/study/compile.json || $(PY) tools/study.py compile
	$(PY) tools/study.py run
	MPLBACKEND=Agg $(PY) tools/study.py report

clean:
	rm -rf _build outputs report/*.pdf
