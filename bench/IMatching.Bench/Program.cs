using System.Globalization;
using IMatching.Bench.Bal;
using IMatching.Bench.Mapping;

namespace IMatching.Bench;

/// <summary>
/// Speed and memory figures, printed; never asserted in unit tests. Usage: IMatching.Bench ba|map|match|train
/// [--shared DIR] [--runs N] [--threads 1,2] [--sizes WxHxQ,...] [--pose-update LeftSe3|AngleAxis] [--glibc-heap]. The heap is tuned as the CLI tunes it
/// (<see cref="IMatching.Learning.NativeHeap"/>) unless --glibc-heap keeps glibc's defaults, for the side-by-side.
/// </summary>
public static class Program
{
    /// <summary>Whether this run keeps freed native memory (the CLI's setting); the PyTorch reference then runs so too.</summary>
    public static bool NativeHeapKept { get; private set; }

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine("usage: IMatching.Bench ba|map|match|train [--shared DIR] [--runs N] [--threads 1,2] [--sizes WxHxQ,...] " +
                "[--pose-update LeftSe3|AngleAxis] [--glibc-heap]");
            return args.Length == 0 ? 2 : 0;
        }
        // As the CLI runs its tensor commands: re-executed with huge pages asked of glibc (HugePages).
        if (args[0] is "train" or "match") IMatching.Learning.HugePages.RestartWithHugePages();
        string shared = FindShared();
        // Each benchmark has its own default: a training step takes seconds, a BA solve milliseconds.
        int? runs = null;
        int[] threads = [1, 2];
        bool glibcHeap = false;
        string? sizes = null;
        var poseUpdate = IMatching.Geometry.Bal.BalProblem.DefaultPoseUpdate;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--shared": shared = args[++i]; break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--glibc-heap": glibcHeap = true; break;
                case "--sizes": sizes = args[++i]; break;
                case "--pose-update":
                    if (!Enum.TryParse(args[++i], out poseUpdate) || !Enum.IsDefined(poseUpdate))
                    {
                        Console.Error.WriteLine($"error: --pose-update {args[i]}: not LeftSe3 or AngleAxis");
                        return 2;
                    }
                    break;
                default: Console.Error.WriteLine($"error: unknown option {args[i]}"); return 2;
            }
        }
        bool tuned = NativeHeapKept = !glibcHeap && IMatching.Learning.NativeHeap.KeepFreedMemory(mapLargeBlocks: args[0] == "train");
        string hugePages = Environment.GetEnvironmentVariable(IMatching.Learning.HugePages.Variable) is { } tunables ? $"{IMatching.Learning.HugePages.Variable}={tunables}" : "no huge pages asked";
        string heap = !tuned ? "native heap: glibc's defaults (--glibc-heap)"
            : IMatching.Learning.NativeHeap.LargeBlocksMapped ? "native heap: freed memory kept, blocks of 32 MiB and more mapped on their own (as the CLI trains)"
            : "native heap: freed memory kept, large blocks from the heap (as the CLI evaluates)";
        Console.WriteLine(heap + "; " + hugePages);
        return args[0] switch
        {
            "ba" => BalBenchmark.Run(Path.Combine(shared, "bal"), runs ?? 7, threads, poseUpdate),
            "map" => MappingBenchmark.Run(Math.Max(runs ?? 7, 21)),
            "match" => Matching.MatcherBenchmark.Run(shared, runs ?? 7),
            "train" => Training.TrainingBenchmark.Run(shared, runs ?? 3, sizes),
            _ => Unknown(args[0]),
        };
    }

    private static int Unknown(string name)
    {
        Console.Error.WriteLine($"error: unknown benchmark '{name}' (available: ba, map, match, train)");
        return 2;
    }

    /// <summary>shared/ sits beside the repository root, the folder holding IMatching.slnx.</summary>
    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IMatching.slnx")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
        return Path.GetFullPath("../shared");
    }
}
