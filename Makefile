# The developer loop. `make run` and `make test` do all the set-up from a fresh clone.
PY      := .venv/bin/python
DB      ?= after_sales
TEST_DB ?= after_sales_test
UI_DB   ?= after_sales_ui
PORT    ?= 8069
LONGPOLLING_PORT ?= 8072
# make run WORKERS=4: Odoo's prefork server, sized for this 2-core, 24 GB machine: one cron
# worker, the long-polling (gevent) server on LONGPOLLING_PORT, a worker recycled past 2 GB
# and killed past 2.5 GB of memory, 10 minutes of CPU and 20 of real time per request (a
# background job too: the job runner has a worker run it); queue_job's job runner in the main
# process (server-wide module) with the channels of runtime/queue_job.conf.
PREFORK = --workers=$(WORKERS) --max-cron-threads=1 --longpolling-port=$(LONGPOLLING_PORT) \
	--limit-memory-soft=2147483648 --limit-memory-hard=2684354560 \
	--limit-time-cpu=600 --limit-time-real=1200 \
	--load=web,queue_job --config=runtime/queue_job.conf

.PHONY: setup db run test test-ui test-runtime odoo-suite odoo-suite-deps ui-check screenshots bench bench-peers pot lint stop-db clean

setup:
	@bash runtime/setup.sh

db: setup
	@bash runtime/pg.sh start

## make run: Odoo with the addon and demo data on http://localhost:$(PORT) (admin / admin);
## make run WORKERS=4: the same in prefork mode (see PREFORK)
run: db
	@$(PY) runtime/ensure_db.py $(DB)
	runtime/odoo -d $(DB) --db-filter='^$(DB)$$' -u after_sales_service \
		--http-port=$(PORT) --log-handler=werkzeug:WARNING $(if $(WORKERS),$(PREFORK))

## make test: the addon's tests on a fresh database; last line "N passed, N failed"
## (make test ONLY=test_visit,test_rpc: just those test files, for a quick loop)
test: db
	@$(PY) runtime/run_tests.py --db $(TEST_DB) --install after_sales_service $(if $(ONLY),--only $(ONLY))

## make test-ui: each role's journey clicked through the web client in Chromium, in zh_CN, on a
## fresh database with demo data; one line per step, last line "N passed, N failed"
## (screenshots in .logs/ui/; UI_PORT=8104 serves on that port instead of a free one)
test-ui: db
	@bash runtime/setup.sh --ui
	@$(PY) runtime/ui_journeys.py --db $(UI_DB) $(if $(UI_PORT),--port $(UI_PORT))

## the runtime's own tests (each compatibility fix)
test-runtime: setup
	@$(PY) -m unittest discover -s runtime/tests -t runtime -v

## Odoo's own suites of base, web, mail, product, stock, account on the runtime
odoo-suite: db
	@$(PY) runtime/run_tests.py --fresh --db odoo_suite --install stock,account_invoicing \
		--log .logs/odoo_suite.log --modules-report base,web,mail,product,stock,account

## Odoo's own suites of the modules the addon added since (survey with website, mrp_repair with
## sale, queue_job, web_responsive): installed together on a fresh database
odoo-suite-deps: db
	@$(PY) runtime/run_tests.py --fresh --db odoo_suite_deps \
		--install survey,mrp_repair,queue_job,web_responsive --log .logs/odoo_suite_deps.log \
		--modules-report survey,mrp_repair,website,portal,sale,sale_management,http_routing,web_editor,queue_job,web_responsive

## headless Chromium logs in and finds the After-Sales menu (needs `make run` serving)
ui-check: db
	@bash runtime/setup.sh --ui
	@$(PY) runtime/ui_check.py http://localhost:$(PORT) $(DB)

## the README's screenshots (request form, phone visit, service record) from the demo
screenshots: db
	@bash runtime/setup.sh --ui
	@$(PY) runtime/readme_screenshots.py

## make bench [SCALE=100000]: statistics timings on generated data (median of several runs)
bench: db
	@$(PY) bench/run.py $(if $(SCALE),--scale $(SCALE))

## make bench-peers [ROUNDS=15]: the flows against Odoo's mrp_repair and OCA helpdesk_mgmt,
## interleaved in one process; last line "peers: N of M goals met"
bench-peers: db
	@$(PY) bench/peers.py $(if $(ROUNDS),--rounds $(ROUNDS))

## make load [CLIENTS=8 OPS=1000]: the production set-up under load: the prefork server (4 workers,
## a cron worker, long-polling) on a fresh database in a PostgreSQL cluster of its own
## (.bench/load/pg), CLIENTS XML-RPC/JSON clients of every role, OPS operations each; one worker
## killed and PostgreSQL restarted mid-run. Prints operations/s, p50/p95/max per operation,
## errors, retries and the invariants; exits 1 on any violation or serialization error.
## LOAD_PORT/LOAD_LONGPOLLING_PORT (8079/8082) change the ports, LOAD_PG=external uses PGHOST.
.PHONY: load
load: setup
	@$(PY) bench/load.py --clients $(or $(CLIENTS),8) --ops $(or $(OPS),1000) \
		$(if $(LOAD_PORT),--port $(LOAD_PORT)) \
		$(if $(LOAD_LONGPOLLING_PORT),--longpolling-port $(LOAD_LONGPOLLING_PORT)) \
		$(if $(filter external,$(LOAD_PG)),--external-pg)

stop-db:
	@bash runtime/pg.sh stop

clean: stop-db
	rm -rf .venv .node .pgdata .addons .addons-only .logs .lintenv

## make lint: pylint-odoo and the OCA XML/PO checks from .lintenv/; fails on any message, last line "lint: N messages" or "lint: clean"
lint:
	@bash runtime/lint.sh

## regenerate i18n/after_sales_service.pot and merge it into i18n/zh_CN.po
pot: db
	@$(PY) runtime/i18n.py
