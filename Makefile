# Quick start: `make test` (installs what is missing, builds, runs every test, prints the summary).
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIGURATION ?= Release
RESULTS := TestResults
BENCH_PACKAGES := python3-torch libopenblas0-serial libopenblas0-pthread
APT_PACKAGES := libzmq5 libopenmpi3 openmpi-bin libmujoco2.2.2 libmujoco-dev libmujoco-samples python3-h5py python3-numpy python3-pil python3-zmq python3-msgpack ffmpeg gcc make time
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ROBOTICS := $(DOTNET) tools/Robotics.Cli/bin/$(CONFIGURATION)/net10.0/robotics.dll

.PHONY: deps bench-deps build install test bench doctor demo demo-checkpoint demo-detector quality pretrain-claim larger-than-memory detector sweep-ci sweep-ci-baseline clean

## deps: install the Debian packages the project needs, only those that are missing
# $(call apt_install,PACKAGES): installs those of PACKAGES that are not installed yet.
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	else echo "all Debian packages present: $(1)"; fi
endef

deps:
	$(call apt_install,$(APT_PACKAGES))

## build: restore and build the whole solution, and put `robotics` on PATH
build: deps
	$(DOTNET) build Robotics.sln -c $(CONFIGURATION)
	@$(MAKE) --no-print-directory install

## install: a `robotics` wrapper in $(BINDIR) (default /usr/local/bin as root, else ~/.local/bin) running this checkout's build
BINDIR ?= $(shell [ "$$(id -u)" = 0 ] && echo /usr/local/bin || echo $$HOME/.local/bin)
install:
	@mkdir -p $(BINDIR)
	@printf '#!/bin/sh\n# robotics: the command-line program of %s (written by make install)\nexec $(DOTNET) "%s/tools/Robotics.Cli/bin/$(CONFIGURATION)/net10.0/robotics.dll" "$$@"\n' "$(CURDIR)" "$(CURDIR)" > $(BINDIR)/robotics
	@chmod +x $(BINDIR)/robotics
	@case ":$$PATH:" in *":$(BINDIR):"*) echo "robotics -> $(BINDIR)/robotics";; *) echo "robotics -> $(BINDIR)/robotics (add $(BINDIR) to PATH)";; esac

## bench-deps: what the benchmarks' same-run references need (PyTorch and OpenBLAS for bench policy)
bench-deps: deps
	$(call apt_install,$(BENCH_PACKAGES))

## test: deps + every test project + the closing 'N passed, N failed' line from the TRX results
# Each test project writes its own TRX folder, so results of projects that finish in the same
# second never overwrite each other.
test: build
	rm -rf $(RESULTS)
	@status=0; for proj in $$($(DOTNET) sln Robotics.sln list | grep -E 'Tests\.csproj$$'); do \
	  name=$$(basename $$proj .csproj); \
	  $(DOTNET) test $$proj -c $(CONFIGURATION) --no-build --logger "trx;LogFileName=$$name.trx" \
	    --results-directory $(RESULTS)/$$name --blame-hang-timeout 15m || status=1; \
	done; \
	python3 tools/ci/trx_summary.py $(RESULTS) || status=1; exit $$status

## detector: the SAFE quality bar: feature corpora of a trained policy (all 12 tabletop tasks, 40 rollouts each, in
## tabletop-push-fixed so every rollout runs 200 steps; without and with injected faults; K=4 sampled chunks per
## call), SAFE grid + conformal band, evaluation against the baselines. DETECTOR_POLICY defaults to the
## scripted-corpus MoDE of `make quality`.
DETECTOR_POLICY ?= reports/quality/runs/scripted-mode/final
DETECTOR_OUT ?= reports/detector
detector: build
	mkdir -p $(DETECTOR_OUT)
	$(ROBOTICS) detector collect --checkpoint $(DETECTOR_POLICY) --env tabletop-push-fixed --tasks all --episodes-per-task 40 --samples-per-call 4 --out $(DETECTOR_OUT)/clean.h5 --resume
	$(ROBOTICS) detector collect --checkpoint $(DETECTOR_POLICY) --env tabletop-push-fixed --tasks all --episodes-per-task 40 --failures 0.5 --samples-per-call 4 --seed 1 --out $(DETECTOR_OUT)/faults.h5 --resume
	$(ROBOTICS) detector train --corpus $(DETECTOR_OUT)/clean.h5 --out $(DETECTOR_OUT)/safe-clean --grid paper --set Torch:Threads=1
	$(ROBOTICS) detector eval --detector $(DETECTOR_OUT)/safe-clean --corpus $(DETECTOR_OUT)/clean.h5 --out $(DETECTOR_OUT)/report-clean
	$(ROBOTICS) detector train --corpus $(DETECTOR_OUT)/faults.h5 --out $(DETECTOR_OUT)/safe-faults --grid paper --set Torch:Threads=1
	$(ROBOTICS) detector eval --detector $(DETECTOR_OUT)/safe-faults --corpus $(DETECTOR_OUT)/faults.h5 --out $(DETECTOR_OUT)/report-faults

## sweep-ci: the CI sweep (sweeps/ci.json: scripted expert + the shipped demo policy), its report, and the gate
## against sweeps/ci-baseline.json (exit 1 when a policy got worse with 95% family-wise confidence)
SWEEP_CI_OUT ?= reports/sweep-ci
sweep-ci: build
	rm -rf $(SWEEP_CI_OUT)
	$(ROBOTICS) sweep run sweeps/ci.json --out $(SWEEP_CI_OUT)/results
	$(ROBOTICS) sweep report $(SWEEP_CI_OUT)/results --out $(SWEEP_CI_OUT)/report
	$(ROBOTICS) sweep check $(SWEEP_CI_OUT)/results --baseline sweeps/ci-baseline.json

## sweep-ci-baseline: accept the current CI sweep as the new baseline (commit sweeps/ci-baseline.json with the change that moved it)
sweep-ci-baseline: build
	rm -rf $(SWEEP_CI_OUT)
	$(ROBOTICS) sweep run sweeps/ci.json --out $(SWEEP_CI_OUT)/results
	$(ROBOTICS) sweep check $(SWEEP_CI_OUT)/results --baseline sweeps/ci-baseline.json --write-baseline

## doctor: report what is installed
doctor: build
	$(ROBOTICS) doctor

## bench: every benchmark; each prints ratios against a reference measured in the same run
bench: build bench-deps
	$(ROBOTICS) bench dataset
	$(ROBOTICS) bench sim
	$(ROBOTICS) bench policy
	$(ROBOTICS) bench loop

## demo: end to end here (expert dataset, small MoDE training, control host + simulated robot processes over ZeroMQ,
## the shipped SAFE detector catching injected faults in the loop); report in reports/demo
demo: build
	$(ROBOTICS) demo --out reports/demo

## demo-checkpoint: rebuild the MoDE checkpoint the demo ships (policies/checkpoints/demo-mode; seed, data and commands in its recipe.json); about 6 minutes
demo-checkpoint: build
	tools/quality/demo_checkpoint.sh

## demo-detector: rebuild the SAFE detector the demo ships for its checkpoint (policies/checkpoints/demo-mode-detector;
## policy, data, grid and commands in its recipe.json, the corpus' evaluation in report/); about 5 minutes
demo-detector: build
	tools/quality/demo_detector.sh

## quality: the policies quality bar as a sweep: generate corpora and train MoDE / dense / MLP-BC for equal steps
## (tools/quality/train_quality.sh, about 4 hours on 2 cores), then sweeps/quality.json and its report in reports/quality/report
quality: build
	tools/quality/train_quality.sh reports/quality
	$(ROBOTICS) sweep run sweeps/quality.json --out reports/quality/sweep --resume
	$(ROBOTICS) sweep report reports/quality/sweep --out reports/quality/report

## pretrain-claim: pretrain on 11 tabletop tasks (with / without the world-model head, half the corpus action-free),
## fine-tune on the 12th with 10 / 25 / 50 demonstrations and compare with training from scratch
## (tools/quality/pretrain_finetune.sh, about 2 hours on 2 cores); table in reports/pretrain/results.md
pretrain-claim: build
	tools/quality/pretrain_finetune.sh reports/pretrain

## larger-than-memory: synthesize, convert and train on a corpus 4.9x the process's GC heap limit, with peak memory
## and streaming vs in-memory training throughput (tools/quality/larger_than_memory.sh, about 4 minutes)
larger-than-memory: build
	tools/quality/larger_than_memory.sh reports/larger-than-memory

clean:
	$(DOTNET) clean Robotics.sln -c $(CONFIGURATION)
	rm -rf $(RESULTS)
