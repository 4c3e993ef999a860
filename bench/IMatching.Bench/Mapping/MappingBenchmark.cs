using System.Diagnostics;
using System.Globalization;
using IMatching.Vision.Mapping;

namespace IMatching.Bench.Mapping;

/// <summary>Time to map one training clip: 6 frames, pairs (k-2, k) and (k-1, k), 300 correspondences each, 0.5 px noise, 30 % outliers.</summary>
public static class MappingBenchmark
{
    public static int Run(int runs)
    {
        var clip = SyntheticClip.Generate(frames: 6, correspondencesPerPair: 300, noisePx: 0.5, outlierFraction: 0.3);
        var options = new MapperOptions { NumThreads = 1 };
        var first = Mapper.Run(clip.Cameras, clip.Pairs, options);
        if (!first.Succeeded) throw new InvalidOperationException($"mapping failed: {first.Failure}");
        var times = new List<double>();
        for (int r = 0; r < runs; r++)
        {
            var sw = Stopwatch.StartNew();
            Mapper.Run(clip.Cameras, clip.Pairs, options);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        var map = first.Map!;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mapping, 6-frame clip, {clip.Pairs.Length} pairs x 300 correspondences (30 % outliers), 1 thread: median {times[times.Count / 2]:F2} ms, min {times[0]:F2} ms over {runs} runs; {map.RegisteredFrames} frames, {map.Landmarks.Length} landmarks, inlier ratio {map.InlierRatio:P1}"));
        return 0;
    }
}
