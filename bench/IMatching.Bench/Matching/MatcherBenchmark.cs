using System.Diagnostics;
using System.Globalization;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using OpenCvSharp;
using static TorchSharp.torch;

namespace IMatching.Bench.Matching;

/// <summary>
/// One 640x480 pair through alike-n+exp with 500 ALIKE queries: the forward pass as inference (no graph) and as
/// training builds it (graph kept, no backward), median of the runs after a warm-up; then peak memory.
/// </summary>
public static class MatcherBenchmark
{
    public static int Run(string shared, int runs)
    {
        string[] frames = [.. Directory.GetFiles(Path.Combine(shared, "data", "tum_fr2_desk", "rgb"), "*.png").Order().Take(2)];
        string weights = Path.Combine(shared, "weights", "alike", "alike-n.pth");
        using var matcher = LearnedModels.CreateDifferentiable(ModelSpec.Parse($"alike-n+exp:{weights}"), new MatcherContext { Queries = "alike:500" });
        using var scope = NewDisposeScope();
        Tensor[] images = [.. frames.Select(path =>
        {
            using Mat image = Cv2.ImRead(path, ImreadModes.Color);
            return ImageTensor.FromMat(image);
        })];

        var (inference, count) = Median(runs, () =>
        {
            using var noGrad = no_grad();
            return Forward(matcher, images);
        });
        var (training, _) = Median(runs, () => Forward(matcher, images));

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"alike-n+exp, {images[0].shape[3]}x{images[0].shape[2]} pair, {count} queries, {Environment.ProcessorCount} cores, torch threads {get_num_threads()}"));
        Console.WriteLine(string.Create(c, $"forward, inference (no_grad): median {inference:F0} ms over {runs} runs after a warm-up"));
        Console.WriteLine(string.Create(c, $"forward, autograd graph kept: median {training:F0} ms"));
        Console.WriteLine(string.Create(c, $"peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MiB (libtorch's CPU allocator keeps no statistics; its tensors are in here); managed heap {GC.GetTotalMemory(false) / 1048576.0:F1} MiB, {GC.GetTotalAllocatedBytes() / 1048576.0:F0} MiB allocated in all"));
        return 0;
    }

    private static (double Ms, int Count) Forward(IDifferentiableMatcher matcher, Tensor[] images)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        int count = matcher.Predict(images, [(0, 1)])[0].Count;
        return (clock.Elapsed.TotalMilliseconds, count);
    }

    private static (double MedianMs, int Count) Median(int runs, Func<(double Ms, int Count)> run)
    {
        int count = run().Count;
        var times = Enumerable.Range(0, runs).Select(_ => run().Ms).Order().ToList();
        return (times[times.Count / 2], count);
    }
}
