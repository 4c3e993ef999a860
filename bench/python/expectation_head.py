#!/usr/bin/env python3
"""The expectation head of alike-n+exp in PyTorch eager, in both formulations, on the sizes `bench -- train` uses.

old: CAPS's formulation, as this project first ported it: each of the S x S fine-window samples is a D-vector
     sampled bilinearly with grid_sample (zeros outside the map) around the soft coarse estimate, then correlated.
new: this project's formulation: correlations with an (S+1) x (S+1) integer crop of descriptor rows, gathered a chunk
     of queries at a time by a custom autograd function (nothing n x S^2 x D is kept), interpolated bilinearly.

Both run the coarse level (softmax over the other image's 8x-pooled map) and the fine level for the 7 pairs of a
5-frame clip on random unit descriptor maps (D = 128), then back-propagate a random weighting of the coarse and
fine points into the maps. Each measurement runs in its own process so that its peak resident memory is its own.
For benchmarks only: never a dependency of the project.

usage: expectation_head.py [--threads N] [--runs N] [--sizes 640x480x1000,320x240x4000]
"""
import argparse
import resource
import subprocess
import sys
import time

import torch
import torch.nn.functional as F

D, POOL, WINDOW, TEMPERATURE = 128, 8, 16, 0.01
FRAMES = 5
PAIRS = [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3), (2, 4), (3, 4)]
CHUNK_BYTES = 16 << 20


def normalised(x, width, height):
    return x / torch.tensor([(width - 1) / 2, (height - 1) / 2]) - 1


def sample(level, cells, zeros):
    """Bilinear samples (n x D) of a 1 x D x h x w map at n x 2 cell coordinates (x, y)."""
    h, w = level.shape[2:]
    grid = normalised(cells, w, h).view(1, 1, -1, 2)
    out = F.grid_sample(level, grid, mode='bilinear', padding_mode='zeros' if zeros else 'border', align_corners=True)
    return out[0, :, 0].t()


def coarse_level(descriptors, coarse_b):
    h, w = coarse_b.shape[2:]
    probability = F.softmax(descriptors @ coarse_b[0].reshape(D, -1) / TEMPERATURE, 1)
    ys, xs = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32), indexing='ij')
    cells = torch.stack([xs.reshape(-1), ys.reshape(-1)], 1) * POOL + (POOL - 1) / 2
    return probability @ cells


def old_fine(descriptors, centres, fine_b):
    n = descriptors.shape[0]
    steps = torch.arange(WINDOW, dtype=torch.float32) - (WINDOW - 1) / 2
    gy, gx = torch.meshgrid(steps, steps, indexing='ij')
    window = centres.unsqueeze(1) + torch.stack([gx.reshape(-1), gy.reshape(-1)], 1)      # n x S^2 x 2
    candidates = sample(fine_b, window.reshape(-1, 2), zeros=True).view(n, WINDOW * WINDOW, D)
    probability = F.softmax(candidates.bmm(descriptors.unsqueeze(2)).squeeze(2) / TEMPERATURE, 1)
    return (probability.unsqueeze(2) * window).sum(1)


class WindowCorrelation(torch.autograd.Function):
    """out[i, k] = <queries[i], rows[index[i, k]]>, gathered a chunk of queries at a time in both passes."""

    @staticmethod
    def chunks(index, rows):
        size = max(1, CHUNK_BYTES // (index.shape[1] * rows.shape[1] * rows.element_size()))
        for start in range(0, index.shape[0], size):
            yield start, min(size, index.shape[0] - start)

    @staticmethod
    def forward(ctx, queries, rows, index):
        ctx.save_for_backward(queries, rows, index)
        out = torch.empty(index.shape, dtype=rows.dtype)
        for s, c in WindowCorrelation.chunks(index, rows):
            gathered = rows.index_select(0, index[s:s + c].reshape(-1)).view(c, index.shape[1], -1)
            out[s:s + c] = gathered.bmm(queries[s:s + c].unsqueeze(2)).squeeze(2)
        return out

    @staticmethod
    def backward(ctx, grad):
        queries, rows, index = ctx.saved_tensors
        grad_queries, grad_rows = torch.empty_like(queries), torch.zeros_like(rows)
        for s, c in WindowCorrelation.chunks(index, rows):
            g = grad[s:s + c]
            gathered = rows.index_select(0, index[s:s + c].reshape(-1)).view(c, index.shape[1], -1)
            grad_queries[s:s + c] = g.unsqueeze(1).bmm(gathered).squeeze(1)
            grad_rows.index_add_(0, index[s:s + c].reshape(-1), (g.unsqueeze(2) * queries[s:s + c].unsqueeze(1)).reshape(-1, D))
        return grad_queries, grad_rows, None


def window_table(fine):
    """Rows of the zero-padded h x w x D map, and the padding."""
    padding = WINDOW // 2 + 1
    return F.pad(fine[0].permute(1, 2, 0), (0, 0, padding, padding, padding, padding)).reshape(-1, D), padding


def new_fine(descriptors, centres, table, width, height):
    rows, padding = table
    n, size = descriptors.shape[0], WINDOW + 1
    start = centres - (WINDOW - 1) / 2
    origins = start.detach().floor()
    fraction = start - origins
    whole = origins.long() + padding
    x = whole[:, 0].clamp(0, width + 2 * padding - size).view(n, 1, 1)
    y = whole[:, 1].clamp(0, height + 2 * padding - size).view(n, 1, 1)
    steps = torch.arange(size)
    index = ((y + steps.view(1, size, 1)) * (width + 2 * padding) + x + steps.view(1, 1, size)).reshape(n, -1)
    lattice = WindowCorrelation.apply(descriptors, rows, index).view(n, size, size)
    fx, fy = fraction[:, 0].view(n, 1, 1), fraction[:, 1].view(n, 1, 1)
    top, bottom = lattice[:, :-1], lattice[:, 1:]
    similarity = (top[:, :, :-1] * (1 - fx) * (1 - fy) + top[:, :, 1:] * fx * (1 - fy)
                  + bottom[:, :, :-1] * (1 - fx) * fy + bottom[:, :, 1:] * fx * fy).reshape(n, -1)
    probability = F.softmax(similarity / TEMPERATURE, 1)
    s = torch.arange(WINDOW, dtype=torch.float32)
    gy, gx = torch.meshgrid(s, s, indexing='ij')
    return start + probability @ torch.stack([gx.reshape(-1), gy.reshape(-1)], 1)


def one(formulation, width, height, queries, runs):
    torch.manual_seed(0)
    fine = [F.normalize(torch.randn(1, D, height, width), dim=1).requires_grad_() for _ in range(FRAMES)]
    points = [torch.rand(queries, 2) * torch.tensor([width - 1, height - 1]) for _ in range(FRAMES)]
    forward, backward = [], []
    for _ in range(runs + 1):
        clock = time.perf_counter()
        coarse = [F.normalize(F.avg_pool2d(f, POOL), dim=1) for f in fine]
        tables = {}
        outputs = []
        for a, b in PAIRS:
            cells = (points[a] - (POOL - 1) / 2) / POOL
            centres = coarse_level(sample(coarse[a], cells, zeros=False), coarse[b])
            descriptors = sample(fine[a], points[a], zeros=False)
            if formulation == 'old':
                outputs += [centres, old_fine(descriptors, centres, fine[b])]
            else:
                if b not in tables:
                    tables[b] = window_table(fine[b])
                outputs += [centres, new_fine(descriptors, centres, tables[b], width, height)]
        loss = sum((o * torch.randn_like(o)).sum() for o in outputs)
        forward.append(time.perf_counter() - clock)
        clock = time.perf_counter()
        loss.backward()
        backward.append(time.perf_counter() - clock)
        for f in fine:
            f.grad = None
    # The first run warms up; the median of the others is reported.
    f, b = sorted(forward[1:])[runs // 2], sorted(backward[1:])[runs // 2]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f'| {width}x{height} | {queries} | {formulation} | {f:.2f} | {b:.2f} | {f + b:.2f} | {peak:.0f} MiB |', flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--runs', type=int, default=1)
    parser.add_argument('--sizes', default='640x480x1000,320x240x4000')
    parser.add_argument('--one', nargs=4, metavar=('FORMULATION', 'WIDTH', 'HEIGHT', 'QUERIES'))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.one:
        formulation, width, height, queries = args.one
        one(formulation, int(width), int(height), int(queries), args.runs)
        return
    print(f'PyTorch {torch.__version__} eager, {args.threads} threads: expectation head alone (coarse + fine, D={D}, S={WINDOW}), '
          f'{len(PAIRS)} pairs of a {FRAMES}-frame clip, median of {args.runs} after a warm-up, seconds')
    print('| size | queries/frame | formulation | forward | backward | head step | peak resident |')
    print('|---|---|---|---|---|---|---|')
    for size in args.sizes.split(','):
        width, height, queries = size.split('x')
        for formulation in ('new', 'old'):
            subprocess.run([sys.executable, __file__, '--threads', str(args.threads), '--runs', str(args.runs),
                            '--one', formulation, width, height, queries], check=True)


if __name__ == '__main__':
    main()
