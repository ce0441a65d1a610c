#!/usr/bin/python3
"""Same-run PyTorch reference for `robotics bench policy`.

This is an independent PyTorch implementation of our TorchSharp MoDE diffusion-transformer policy
(policies/Robotics.Policies/Mode/ModeNetwork.cs and Nn/*.cs) together with the training step of
Training/PolicyTrainer.cs (hand-written AdamW, gradient clipping, EMA) and the DPM-Solver-1 sampler with and
without the fused-expert cache. `robotics bench policy` launches it as a subprocess with the same network
size, batch size and thread count as its own measurement and reports our training throughput and batch-1
chunk latency as ratios against these numbers, measured on the same CPU in the same run (so machine load and
CPU model cancel out as far as possible).

What is mirrored, on purpose, so that both sides do the same work:
  * the network exactly (the parameter count is checked against a closed formula, which our C# model also
    satisfies: 1,159,442 for the defaults, 730,882 for the dense baseline --experts 1 --topk 1 --mult 8);
  * tokens [noise, task, obs_1..obs_n, action_1..action_H] + learned positions; blocks
    x + attn(LN(x) + c), x + moe(LN(x)) with causal attention written out (torch 1.13 has no
    scaled_dot_product_attention); a router on the noise embedding only; per-expert dispatch over the samples
    routed to it; load-balancing and z losses;
  * task dropout (goal 0.1, id 0.3), EDM preconditioning, log-logistic training sigmas, the masked action loss;
  * AdamW exactly as Training/AdamW.cs (m.lerp_(g, 1 - b1) is m = b1*m + (1 - b1)*g in one kernel, as ours),
    clip_grad_norm_(1.0), and the EMA update shadow.lerp_(p, 1 - d) (= shadow*d + p*(1 - d)), then loss.item();
  * inference: condition tokens once per chunk, `--sampling-steps` exponential sigmas from 80 to 0.001 then 0;
    "uncached" routes and dispatches at every step, "cached" uses the noise embeddings and per-block fused
    SwiGLUs (chosen experts' gate rows, then up rows; down weights scaled by the router weights) built once per
    schedule outside the timed region, like our expert cache. Both sample with the same seeded generator and
    their difference is reported as max_cached_difference (it should be float round-off).

The batch source is a pool of random windows built once in memory; indexing into it is part of each timed
step (ours builds its batch inside the step too, from episodes, so this side does slightly less data work).

Run it with Debian's interpreter and select the serial OpenBLAS build: torch from python3-torch links the
generic libblas.so.3, which resolves to the slow reference BLAS unless OpenBLAS is picked this way:
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-serial /usr/bin/python3 tools/python/policy_bench_torch.py
The JSON result is always the last line of stdout (and is written to --json PATH when given); a short
human-readable summary goes to stderr.
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SIGMA_DATA = 0.5
SIGMA_MIN = 0.001
SIGMA_MAX = 80.0
GOAL_DROPOUT = 0.1
ID_DROPOUT = 0.3
LOAD_BALANCE_WEIGHT = 0.01
Z_LOSS_WEIGHT = 0.001
TEXT_IDS_PER_TASK = 30
POOL_SIZE = 4096


# ----------------------------------------------------------------------------------------------- network

class TaskEncoder(nn.Module):
    """Task id embedding (index `tasks` = "no id") + mean of the instruction's hashed n-gram embeddings."""

    def __init__(self, tasks, text_buckets, width):
        super().__init__()
        self.tasks = tasks
        self.task_id = nn.Embedding(tasks + 1, width)
        self.text = nn.EmbeddingBag(text_buckets, width, mode='mean')
        self.null_token = nn.Parameter(torch.zeros(width))

    def forward(self, task, text_ids, text_offsets, training):
        b = task.shape[0]
        ids = task
        if training:
            hide = torch.rand(b).lt(ID_DROPOUT)
            ids = ids.masked_fill(hide, self.tasks)
        token = self.task_id(ids) + self.text(text_ids, text_offsets)
        if training:
            drop = torch.rand(b).lt(GOAL_DROPOUT).unsqueeze(-1)
            token = token.where(drop.logical_not(), self.null_token.unsqueeze(0).expand_as(token))
        return token


class ConditionEncoder(nn.Module):
    """[task, obs_1 .. obs_n] tokens, (B, 1 + n_obs, D); one linear projection per state frame."""

    def __init__(self, tasks, text_buckets, state_dim, width):
        super().__init__()
        self.task = TaskEncoder(tasks, text_buckets, width)
        self.state = nn.Linear(state_dim, width)

    def forward(self, batch, training):
        task_token = self.task(batch['task'], batch['text_ids'], batch['text_offsets'], training)
        frames = self.state(batch['state'])
        return torch.cat([task_token.unsqueeze(1), frames], 1)


class NoiseEmbedding(nn.Module):
    """Linear(1, D) on log(sigma)/4, then Linear(D, D), no activation in between."""

    def __init__(self, width):
        super().__init__()
        self.input = nn.Linear(1, width)
        self.output = nn.Linear(width, width)

    def forward(self, sigma):
        return self.output(self.input((sigma.log() / 4.0).unsqueeze(-1)))


class SelfAttention(nn.Module):
    """Causal multi-head self-attention with bias-free projections, written out."""

    def __init__(self, width, heads, tokens):
        super().__init__()
        assert width % heads == 0, f'width {width} is not divisible by {heads} heads'
        self.heads = heads
        self.scale = 1.0 / math.sqrt(width // heads)
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        self.proj = nn.Linear(width, width, bias=False)
        self.register_buffer('mask', torch.ones(tokens, tokens, dtype=torch.bool).triu(1), persistent=False)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-2, -1)) * self.scale
        scores = scores.masked_fill(self.mask[:t, :t], float('-inf'))
        y = scores.softmax(-1) @ v
        return self.proj(y.transpose(1, 2).reshape(b, t, d))


class NoiseRouter(nn.Module):
    """Linear(D, 2D) -> GELU -> Linear(2D, E), fed the noise embedding only."""

    def __init__(self, width, experts):
        super().__init__()
        self.hidden = nn.Linear(width, 2 * width)
        self.logits = nn.Linear(2 * width, experts)

    def forward(self, c):
        return self.logits(F.gelu(self.hidden(c)))


class SwiGluExpert(nn.Module):
    """down(silu(gate(x)) * up(x)); gate_up rows are [gate; up], so fusing experts is a row concatenation."""

    def __init__(self, width, hidden):
        super().__init__()
        self.hidden = hidden
        self.gate_up = nn.Linear(width, 2 * hidden, bias=False)
        self.down = nn.Linear(hidden, width, bias=False)

    def forward(self, x):
        gate, up = self.gate_up(x).chunk(2, -1)
        return self.down(F.silu(gate) * up)


class FusedExperts:
    """The chosen experts of one block at one noise level as one SwiGLU of hidden k*Hd."""

    def __init__(self, experts, weights):
        with torch.no_grad():
            h = experts[0].hidden
            gates = [e.gate_up.weight[:h] for e in experts]
            ups = [e.gate_up.weight[h:] for e in experts]
            self.gate_up = torch.cat(gates + ups, 0).contiguous()
            self.down = torch.cat([e.down.weight * w for e, w in zip(experts, weights)], 1).contiguous()

    def __call__(self, x):
        gate, up = F.linear(x, self.gate_up).chunk(2, -1)
        return F.linear(F.silu(gate) * up, self.down)


class MixtureOfExperts(nn.Module):
    """Noise-routed experts: every token of a sample shares the sample's k experts. E == 1 is a dense MLP."""

    def __init__(self, width, hidden, experts, topk):
        super().__init__()
        assert 1 <= topk <= experts, f'need 1 <= topk <= experts, got topk {topk} with {experts} experts'
        self.expert_count = experts
        self.topk = topk
        self.router = NoiseRouter(width, experts) if experts > 1 else None
        self.experts = nn.ModuleList([SwiGluExpert(width, hidden) for _ in range(experts)])

    def route(self, c, sample):
        """Returns (indices, weights, probs, logits); sampling without replacement in training, top-k at eval."""
        b = c.shape[0]
        if self.router is None:
            one = torch.ones(b, 1)
            return torch.zeros(b, 1, dtype=torch.long), one, one, torch.zeros(b, 1)
        logits = self.router(c)
        probs = logits.softmax(-1)
        idx = torch.multinomial(probs.detach(), self.topk, replacement=False) if sample else probs.topk(self.topk, -1).indices
        chosen = probs.gather(-1, idx)
        return idx, chosen / chosen.sum(-1, keepdim=True), probs, logits

    def forward(self, x, routing):
        if self.router is None:
            return self.experts[0](x)
        idx, weights, _, _ = routing
        out = torch.zeros_like(x)
        for e in range(self.expert_count):
            hit = idx.eq(e)
            samples = hit.any(-1).nonzero().squeeze(-1)
            if samples.shape[0] == 0:
                continue
            w = (weights * hit).sum(-1).index_select(0, samples)
            y = self.experts[e](x.index_select(0, samples)) * w.view(-1, 1, 1)
            out = out.index_add(0, samples, y)
        return out

    def load_balancing_loss(self, routing):
        if self.router is None:
            return torch.zeros(1).squeeze()
        idx, weights, probs, _ = routing
        counts = torch.zeros(idx.shape[0], self.expert_count).scatter_add(-1, idx, torch.ones_like(weights))
        fraction = counts.mean(0) / self.topk
        return self.expert_count * (probs.mean(0) * fraction).sum()

    def z_loss(self, routing):
        if self.router is None:
            return torch.zeros(1).squeeze()
        return routing[3].logsumexp(-1).square().mean()

    def fuse(self, c):
        """Routes one noise embedding (1, D) greedily and fuses the chosen experts."""
        with torch.no_grad():
            idx, weights, _, _ = self.route(c, sample=False)
            chosen = [self.experts[int(i)] for i in idx[0].tolist()]
            return FusedExperts(chosen, [float(w) for w in weights[0].tolist()])


class DenoiserBlock(nn.Module):
    def __init__(self, width, heads, hidden, experts, topk, tokens):
        super().__init__()
        self.ln_attn = nn.LayerNorm(width)
        self.attn = SelfAttention(width, heads, tokens)
        self.ln_mlp = nn.LayerNorm(width)
        self.moe = MixtureOfExperts(width, hidden, experts, topk)

    def forward(self, x, c, routing):
        x = x + self.attn(self.ln_attn(x) + c.unsqueeze(1))
        return x + self.moe(self.ln_mlp(x), routing)

    def forward_cached(self, x, c, fused):
        x = x + self.attn(self.ln_attn(x) + c.unsqueeze(1))
        return x + fused(self.ln_mlp(x))


# EDM preconditioning (sigma_data 0.5).
def c_skip(s):
    return SIGMA_DATA * SIGMA_DATA / (s.square() + SIGMA_DATA * SIGMA_DATA)


def c_out(s):
    return s * SIGMA_DATA / (s.square() + SIGMA_DATA * SIGMA_DATA).sqrt()


def c_in(s):
    return 1.0 / (s.square() + SIGMA_DATA * SIGMA_DATA).sqrt()


def sample_sigmas(n):
    """Log-logistic: sigma = exp(log 0.5 + 0.5 logit(u)), clipped to [SIGMA_MIN, SIGMA_MAX]."""
    u = torch.rand(n).clamp(1e-7, 1 - 1e-7)
    return (u.logit() * 0.5 + math.log(0.5)).exp().clamp(SIGMA_MIN, SIGMA_MAX)


def exponential_schedule(steps):
    lo, hi = math.log(SIGMA_MIN), math.log(SIGMA_MAX)
    sigmas = [SIGMA_MAX if steps == 1 else math.exp(hi + (lo - hi) * i / (steps - 1)) for i in range(steps)]
    return sigmas + [0.0]


class ModeNetwork(nn.Module):
    def __init__(self, a):
        super().__init__()
        d = a.width
        self.horizon = a.horizon
        self.tokens = 1 + (1 + a.n_obs) + a.horizon
        self.condition = ConditionEncoder(a.tasks, a.text_buckets, a.state_dim, d)
        self.action_noise = NoiseEmbedding(d)
        self.action_in = nn.Linear(a.action_dim, d)
        self.position = nn.Parameter(torch.randn(1, self.tokens, d) * 0.02)
        self.blocks = nn.ModuleList([DenoiserBlock(d, a.heads, a.mult * d, a.experts, a.topk, self.tokens)
                                     for _ in range(a.layers)])
        self.ln_out = nn.LayerNorm(d)
        self.action_out = nn.Linear(d, a.action_dim)
        self.caches = {}

    def embed(self, cond, c, action_input):
        return torch.cat([c.unsqueeze(1), cond, self.action_in(action_input)], 1) + self.position

    def head(self, hidden):
        y = self.ln_out(hidden)
        return self.action_out(y[:, self.tokens - self.horizon:])

    def compute_loss(self, batch):
        actions = batch['actions']
        b = actions.shape[0]
        cond = self.condition(batch, training=True)
        sa = sample_sigmas(b)
        weight = batch['action_mask']
        noisy = actions + torch.randn(actions.shape) * sa.view(-1, 1, 1)
        c = self.action_noise(sa)
        x = self.embed(cond, c, noisy * c_in(sa).view(-1, 1, 1))
        lb = torch.zeros(1).squeeze()
        z = torch.zeros(1).squeeze()
        for block in self.blocks:
            routing = block.moe.route(c, sample=True)
            lb = lb + block.moe.load_balancing_loss(routing)
            z = z + block.moe.z_loss(routing)
            x = block(x, c, routing)
        lb = lb / len(self.blocks)
        z = z / len(self.blocks)
        s = sa.view(-1, 1, 1)
        target = (actions - c_skip(s) * noisy) / c_out(s)
        err = (self.head(x) - target).square().mean(-1)
        loss = (err * weight).sum() / weight.sum().clamp_min(1.0)
        return loss + LOAD_BALANCE_WEIGHT * lb + Z_LOSS_WEIGHT * z

    def build_cache(self, sigmas):
        """Noise embeddings and per-block fused experts for every step of a schedule (built once)."""
        steps = len(sigmas) - 1
        if steps not in self.caches:
            with torch.no_grad():
                noise = [self.action_noise(torch.full([1], sigmas[i])) for i in range(steps)]
                fused = [[block.moe.fuse(noise[i]) for block in self.blocks] for i in range(steps)]
            self.caches[steps] = (noise, fused)
        return self.caches[steps]

    def sample(self, batch, sigmas, generator, cached):
        """One action chunk with DPM-Solver-1 (DDIM) over `sigmas`; returns (actions, features)."""
        with torch.no_grad():
            b = batch['state'].shape[0]
            cond = self.condition(batch, training=False)
            cache = self.caches[len(sigmas) - 1] if cached else None
            features = torch.zeros(b, cond.shape[-1])
            x = torch.randn(b, self.horizon, self.action_out.out_features, generator=generator) * sigmas[0]
            for i in range(len(sigmas) - 1):
                sigma = torch.full([b], sigmas[i])
                c = cache[0][i].expand(b, -1) if cache is not None else self.action_noise(sigma)
                h = self.embed(cond, c, x * c_in(sigma).view(-1, 1, 1))
                for j, block in enumerate(self.blocks):
                    if cache is None:
                        h = block(h, c, block.moe.route(c, sample=False))
                    else:
                        h = block.forward_cached(h, c, cache[1][i][j])
                fa = self.head(h)
                features = features + h.mean(1)   # ours accumulates failure-detector features the same way
                sigma_t = torch.full([1], sigmas[i])
                denoised = c_skip(sigma_t) * x + c_out(sigma_t) * fa
                nxt = sigmas[i + 1]
                if nxt == 0:
                    x = denoised
                else:
                    x = x * (nxt / sigmas[i]) + denoised * (1.0 - nxt / sigmas[i])
            return x, features / (len(sigmas) - 1)


def expected_parameters(a):
    d, s, act, t, e = a.width, a.state_dim, a.action_dim, 1 + (1 + a.n_obs) + a.horizon, a.experts
    hd = a.mult * d
    router = d * 2 * d + 2 * d + 2 * d * e + e if e > 1 else 0
    block = 2 * (2 * d) + 3 * d * d + d * d + router + e * (2 * hd * d + hd * d)
    return ((a.tasks + 1) * d + a.text_buckets * d + d + (s * d + d) + (d + d) + (d * d + d)
            + (act * d + d) + t * d + a.layers * block + 2 * d + d * act + act)


# ----------------------------------------------------------------------------------------------- training

class AdamW:
    """Training/AdamW.cs: decoupled weight decay on >= 2-D parameters only, bias-corrected moments."""

    def __init__(self, params, beta1=0.9, beta2=0.95, weight_decay=0.05, eps=1e-8):
        self.params = list(params)
        self.beta1, self.beta2, self.wd, self.eps = beta1, beta2, weight_decay, eps
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.t = 0

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()

    @torch.no_grad()
    def step(self, lr):
        self.t += 1
        c1 = 1 - self.beta1 ** self.t
        c2 = 1 - self.beta2 ** self.t
        for p, m, v in zip(self.params, self.m, self.v):
            g = p.grad
            if g is None:
                continue
            if self.wd > 0 and p.dim() >= 2:
                p.mul_(1 - lr * self.wd)
            m.lerp_(g, 1 - self.beta1)   # m = b1*m + (1 - b1)*g
            v.mul_(self.beta2).addcmul_(g, g, value=1 - self.beta2)
            denom = v.div(c2).sqrt_().add_(self.eps)
            p.addcdiv_(m, denom, value=-lr / c1)


class ExponentialMovingAverage:
    """Training/ExponentialMovingAverage.cs: decay = min(1 - (1 + step)^-0.75, 0.9999)."""

    def __init__(self, params, power=0.75, max_decay=0.9999):
        self.params = list(params)
        self.power, self.max = power, max_decay
        self.shadow = [p.detach().clone() for p in self.params]

    @torch.no_grad()
    def update(self, step):
        decay = min(max(1 - (1 + step) ** -self.power, 0.0), self.max)
        for s, p in zip(self.shadow, self.params):
            s.lerp_(p, 1 - decay)   # s = decay*s + (1 - decay)*p


def make_pool(a, size):
    """Random training windows held in memory; a batch is an index into them."""
    return {
        'state': torch.rand(size, a.n_obs, a.state_dim),
        'actions': torch.rand(size, a.horizon, a.action_dim) * 2 - 1,
        'action_mask': torch.ones(size, a.horizon),
        'task': torch.randint(0, a.tasks, (size,)),
    }


def make_batch(pool, text_table, idx):
    task = pool['task'][idx]
    ids = text_table[task]   # (B, ids per task)
    return {
        'state': pool['state'][idx],
        'actions': pool['actions'][idx],
        'action_mask': pool['action_mask'][idx],
        'task': task,
        'text_ids': ids.reshape(-1),
        'text_offsets': torch.arange(ids.shape[0]) * ids.shape[1],
    }


def train_rate(a, pool, text_table):
    model = ModeNetwork(a)
    model.train()
    params = list(model.parameters())
    optimizer = AdamW(params)
    ema = ExponentialMovingAverage(params)
    lr = 3e-4

    def step(k):
        idx = torch.randint(0, pool['task'].shape[0], (a.batch,))
        batch = make_batch(pool, text_table, idx)
        optimizer.zero_grad()
        loss = model.compute_loss(batch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step(lr)
        ema.update(k)
        value = loss.item()
        if not math.isfinite(value):
            raise RuntimeError(f'training diverged at step {k}: loss {value}')
        return value

    for k in range(a.warmup_steps):
        step(k)
    start = time.perf_counter()
    for k in range(a.warmup_steps, a.warmup_steps + a.train_steps):
        last = step(k)
    seconds = time.perf_counter() - start
    return a.batch * a.train_steps / seconds, 1000.0 * seconds / a.train_steps, last


# ----------------------------------------------------------------------------------------------- main

def quantile(sorted_ms, q):
    # As PolicyBenchmark.Summary: index round(q * (n - 1)) (both round halves to even).
    i = min(max(int(round(q * (len(sorted_ms) - 1))), 0), len(sorted_ms) - 1)
    return sorted_ms[i]


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--width', type=int, default=64)
    p.add_argument('--layers', type=int, default=4)
    p.add_argument('--heads', type=int, default=4)
    p.add_argument('--experts', type=int, default=4)
    p.add_argument('--topk', type=int, default=2)
    p.add_argument('--mult', type=int, default=4, help='expert hidden = mult * width')
    p.add_argument('--state-dim', type=int, default=31)
    p.add_argument('--action-dim', type=int, default=2)
    p.add_argument('--horizon', type=int, default=16)
    p.add_argument('--n-obs', type=int, default=2)
    p.add_argument('--tasks', type=int, default=12)
    p.add_argument('--text-buckets', type=int, default=4096)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--train-steps', type=int, default=30)
    p.add_argument('--warmup-steps', type=int, default=3)
    p.add_argument('--repeats', type=int, default=20)
    p.add_argument('--sampling-steps', type=int, default=10)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--json', default=None, help='also write the result JSON here')
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    text_table = torch.randint(0, a.text_buckets, (a.tasks, TEXT_IDS_PER_TASK))
    pool = make_pool(a, POOL_SIZE)

    # Latency: a fresh network in eval mode, batch 1, cached and uncached interleaved.
    model = ModeNetwork(a)
    model.eval()
    total = sum(t.numel() for t in model.parameters())
    expected = expected_parameters(a)
    active = total - (a.experts - a.topk) * 3 * a.width * (a.mult * a.width) * a.layers
    print(f'parameters: {total:,} (formula {expected:,}), active {active:,}', file=sys.stderr)
    assert total == expected, f'parameter count {total} != formula {expected}'

    sigmas = exponential_schedule(a.sampling_steps)
    one = make_batch(pool, text_table, torch.zeros(1, dtype=torch.long))
    model.build_cache(sigmas)   # built once per schedule, outside the timed region (like our expert cache)
    uncached, _ = model.sample(one, sigmas, torch.Generator().manual_seed(3), cached=False)
    cached, _ = model.sample(one, sigmas, torch.Generator().manual_seed(3), cached=True)
    max_cached_difference = float((uncached - cached).abs().max())

    timings = {True: [], False: []}
    for r in range(-3, a.repeats):
        for variant in (True, False):
            start = time.perf_counter()
            model.sample(one, sigmas, torch.Generator().manual_seed(5), cached=variant)
            elapsed = 1000.0 * (time.perf_counter() - start)
            if r >= 0:
                timings[variant].append(elapsed)
    cached_ms = sorted(timings[True])
    uncached_ms = sorted(timings[False])
    del model

    # Training: a fresh network, untimed warm-up steps, then timed steps.
    torch.manual_seed(a.seed + 1)
    samples_per_s, step_ms, last_loss = train_rate(a, pool, text_table)
    print(f'train {samples_per_s:.1f} samples/s ({step_ms:.2f} ms/step, last loss {last_loss:.4f}); '
          f'latency p50 cached {quantile(cached_ms, 0.5):.2f} ms, uncached {quantile(uncached_ms, 0.5):.2f} ms; '
          f'max cached difference {max_cached_difference:.3g}', file=sys.stderr)

    result = {
        'torch_version': torch.__version__,
        'threads': torch.get_num_threads(),
        'parameters': total,
        'active_parameters': active,
        'train_samples_per_s': samples_per_s,
        'train_step_ms': step_ms,
        'latency_cached_ms_p50': quantile(cached_ms, 0.5),
        'latency_uncached_ms_p50': quantile(uncached_ms, 0.5),
        'latency_cached_ms_p10': quantile(cached_ms, 0.1),
        'latency_cached_ms_p90': quantile(cached_ms, 0.9),
        'max_cached_difference': max_cached_difference,
    }
    line = json.dumps(result)
    if a.json:
        with open(a.json, 'w') as f:
            f.write(line + '\n')
    print(line, flush=True)


if __name__ == '__main__':
    main()
