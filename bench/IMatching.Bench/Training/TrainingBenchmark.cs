using System.Diagnostics;
using System.Globalization;
using IMatching.Learning.Checkpoints;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using static TorchSharp.torch;

namespace IMatching.Bench.Training;

/// <summary>
/// One imperative-learning step of alike-n+exp, run by the <see cref="TrainingLoop"/> with the imperative <see cref="Trainer"/> on a rendered office sequence
/// (clips of 5 frames, the default pairs), at two sizes: the medians of its own phase timings after a warm-up step,
/// the share mapping (robust BA included) takes, how many predictions a clip makes and how many survive mapping, and
/// peak memory; beside it, the same network's backbone-only step on a clip's frames, the cost of a step with a free
/// head; then, when PyTorch is installed, the head alone in PyTorch eager in both formulations (old and new).
/// </summary>
public static class TrainingBenchmark
{
    /// <summary>
    /// 4000 queries, the CLI default, at 640x480 take about 35 s of forward pass and 8.7 GiB on this project's 2-core
    /// VM; with the backward pass a step would take minutes, so the larger size runs with fewer queries.
    /// </summary>
    private static readonly (int Width, int Height, int Queries)[] DefaultSizes = [(320, 240, 4000), (640, 480, 1000)];

    private const int Frames = 20;

    /// <summary>
    /// The renderer's hand-held camera moves about 2 cm a frame: at spacing 1 no pair of a clip (at most 2 frames
    /// apart) has the mapper's 1 degree of initial parallax, every clip fails to map and nothing is learned.
    /// </summary>
    private const int FrameSpacing = 3;

    /// <param name="sizes">--sizes, e.g. <c>320x240x4000,640x480x1000</c> (width x height x queries a frame); null for the defaults.</param>
    public static int Run(string shared, int runs, string? sizes = null)
    {
        if (runs < 1)
        {
            Console.Error.WriteLine("error: train needs --runs 1 or more (the warm-up step is never measured)");
            return 2;
        }
        if (ParseSizes(sizes) is not { } chosen)
        {
            Console.Error.WriteLine($"error: --sizes '{sizes}' is not a list of WIDTHxHEIGHTxQUERIES (e.g. 320x240x4000,640x480x1000)");
            return 2;
        }
        string weights = Path.Combine(shared, "weights", "alike", "alike-n.pth");
        var c = CultureInfo.InvariantCulture;
        var options = new TrainerOptions { FrameSpacing = FrameSpacing };
        Console.WriteLine(string.Create(c, $"alike-n+exp, synthetic office sequence of {Frames} frames, clips of {options.ClipLength} frames {FrameSpacing} apart, {options.ClipPairs().Count} pairs a clip, Adam; {Environment.ProcessorCount} cores, torch threads {get_num_threads()}"));
        Console.WriteLine(string.Create(c, $"median of {runs} steps after a warm-up step, seconds; mapping is the robust mapper including its BA, on detached predictions"));
        Console.WriteLine();
        Console.WriteLine("| size | queries/frame | forward | mapping | backward | optimiser | step | backbone-only step | step / backbone-only | mapping share | predictions/clip | survived mapping | skipped | peak working set | peak native in use | backbone-only peak | backbone-only native in use | managed heap (max), allocated/step |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (width, height, queries) in chosen)
        {
            var sequence = DataSpec.Parse(string.Create(c, $"synthetic:office?frames={Frames}&size={width}x{height}")).OpenSequence();
            var context = new MatcherContext { MaxFeatures = queries };
            var clip = Enumerable.Range(0, options.ClipLength).Select(k => sequence[k * FrameSpacing]).ToList();
            double MeasureBackbone()
            {
                using var model = LearnedModels.CreateDifferentiable(ModelSpec.Parse($"alike-n+exp:{weights}"), context);
                return BackboneStep.Measure(((IFrameFeatureMatcher)model).Backbone, clip, runs);
            }
            bool ownBackbonePeak = ResetPeakWorkingSet();
            string backboneInUse;
            double backboneBefore;
            using (var inUse = NativeInUsePeak.Start())
            {
                backboneBefore = MeasureBackbone();
                backboneInUse = Mebibytes(inUse);
            }
            string backbonePeak = PeakWorkingSet(ownBackbonePeak);
            using var matcher = new CountingMatcher(LearnedModels.CreateDifferentiable(ModelSpec.Parse($"alike-n+exp:{weights}"), context));
            var steps = new StepCollector(matcher);
            bool ownPeak = ResetPeakWorkingSet();
            string stepsInUse;
            using (var inUse = NativeInUsePeak.Start())
            {
                string output = Directory.CreateTempSubdirectory("imatching-trainbench-").FullName;
                try
                {
                    new TrainingLoop(matcher, "alike-n+exp", new TrainingOptions { Steps = runs + 1 }).Run(new Trainer(sequence, options), new RunFolder(output).Start(RunMode.New), steps);
                }
                finally
                {
                    Directory.Delete(output, recursive: true);
                }
                stepsInUse = Mebibytes(inUse);
            }
            // Read before the backbone-only step below, whose own peak would otherwise count as the steps'.
            string stepsPeak = PeakWorkingSet(ownPeak);

            // Again after the steps: the first measurement also pays for growing the native heap, which the steps then
            // reuse, so the yardstick is the faster of the two (and the ratio the less flattering one).
            double backboneAfter = MeasureBackbone();
            double backboneStep = Math.Min(backboneBefore, backboneAfter);

            var measured = steps.Steps.Skip(1).ToList();
            double Phase(Func<StepTimings, double> phase) => Median(measured.Select(s => phase(s.Progress.Timings)));
            double step = Median(measured.Select(s => Total(s.Progress.Timings)));
            double mappingShare = Median(measured.Select(s => s.Progress.Timings.Targets / Total(s.Progress.Timings)));
            Console.WriteLine(string.Create(c,
                $"| {width}x{height} | {queries} | {Phase(t => t.Forward):F2} | {Phase(t => t.Targets):F2} | {Phase(t => t.Backward):F2} | {Phase(t => t.Optimizer):F3} | {step:F2} | {backboneStep:F2} ({backboneBefore:F2} / {backboneAfter:F2}) | {step / backboneStep:F2}x | {mappingShare:P0} " +
                $"| {Median(measured.Select(s => (double)s.Predictions)):F0} | {Median(measured.Select(s => s.Progress.Value(Trainer.Observations) ?? 0)):F0} | {Skipped(measured)} " +
                $"| {stepsPeak} | {stepsInUse} | {backbonePeak} | {backboneInUse} | {measured.Max(s => s.ManagedHeapBytes) / 1048576.0:F0} MiB, {Median(measured.Select(s => (double)s.AllocatedBytes)) / 1048576.0:F0} MiB |"));
        }
        Console.WriteLine();
        Console.WriteLine("survived mapping: predictions kept as inlier observations in frame B, the ones the loss trains on; step: the four phases summed (checkpoint and log writes excluded)");
        Console.WriteLine("backbone-only step: ALIKE-n alone on a clip's frames, batch-norm statistics frozen as in the step, forward, backward of the mean of its maps, Adam (median of the same number of steps), measured before and after the training steps (in brackets), the faster of the two compared");
        Console.WriteLine("peak working set includes libtorch's tensors (its CPU allocator keeps no statistics) and the freed memory the native heap keeps; peak native in use is the most glibc's allocator had handed out (mallinfo2, sampled every 5 ms); managed heap is sampled after each step");
        Console.WriteLine();
        PythonReference.Run("expectation_head.py", [.. chosen.Select(s => string.Create(c, $"{s.Width}x{s.Height}x{s.Queries}"))], runs);
        return 0;
    }

    private static (int Width, int Height, int Queries)[]? ParseSizes(string? text)
    {
        if (text is null) return DefaultSizes;
        var sizes = new List<(int, int, int)>();
        foreach (string item in text.Split(','))
        {
            var parts = item.Split('x');
            int[] v = [.. parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0)];
            if (v.Length != 3 || v.Any(n => n <= 0)) return null;
            sizes.Add((v[0], v[1], v[2]));
        }
        return [.. sizes];
    }

    private static string Mebibytes(NativeInUsePeak? peak) =>
        peak is null ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{peak.PeakBytes / 1048576.0:F0} MiB");

    private static string PeakWorkingSet(bool own)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return string.Create(CultureInfo.InvariantCulture, $"{process.PeakWorkingSet64 / 1048576.0:F0} MiB{(own ? "" : " (whole run)")}");
    }

    /// <summary>
    /// Linux resets the peak resident set (VmHWM, which <see cref="Process.PeakWorkingSet64"/> reads) when 5 is
    /// written here, so each size and each measurement gets its own peak; elsewhere the peak is the whole run's so far.
    /// </summary>
    private static bool ResetPeakWorkingSet()
    {
        // Memory freed by the previous measurement stays resident in glibc's heap until trimmed, and the reset peak
        // starts from the resident size: without the trim one measurement's peak would include the other's.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (OperatingSystem.IsLinux()) MallocTrim(0);
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    private static string Skipped(IReadOnlyList<StepRecord> steps)
    {
        var reasons = steps.Where(s => s.Progress.SkippedSamples > 0).GroupBy(s => s.Progress.LastSkip).Select(g => $"{g.Count()} {g.Key}");
        return string.Join(", ", reasons.DefaultIfEmpty("0"));
    }

    private static double Total(StepTimings t) => t.Forward + t.Targets + t.Backward + t.Optimizer;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed record StepRecord(TrainingProgress Progress, int Predictions, long ManagedHeapBytes, long AllocatedBytes);

    /// <summary>
    /// Records each step as the trainer reports it. Synchronous, unlike <see cref="Progress{T}"/>, which posts to the
    /// thread pool: the prediction count and the heap must be read before the next step changes them.
    /// </summary>
    private sealed class StepCollector(CountingMatcher matcher) : IProgress<TrainingProgress>
    {
        private long _allocated = GC.GetTotalAllocatedBytes();

        public List<StepRecord> Steps { get; } = [];

        public void Report(TrainingProgress value)
        {
            long allocated = GC.GetTotalAllocatedBytes();
            Steps.Add(new StepRecord(value, matcher.LastPredictions, GC.GetTotalMemory(false), allocated - _allocated));
            _allocated = allocated;
        }
    }

    /// <summary>The trainer reports surviving observations but not how many predictions a clip made; this counts them.</summary>
    private sealed class CountingMatcher(IDifferentiableMatcher inner) : IDifferentiableMatcher
    {
        public int LastPredictions { get; private set; }
        public string Name => inner.Name;
        public Device Device => inner.Device;
        public IReadOnlyList<Tensor> Parameters => inner.Parameters;
        public nn.Module Network => inner.Network;

        public void Train(bool on) => inner.Train(on);

        public IReadOnlyList<PairPredictions> Predict(IReadOnlyList<Tensor> images, IReadOnlyList<(int A, int B)> pairs)
        {
            var predictions = inner.Predict(images, pairs);
            LastPredictions = predictions.Sum(p => p.Count);
            return predictions;
        }

        public void Dispose() => inner.Dispose();
    }
}
