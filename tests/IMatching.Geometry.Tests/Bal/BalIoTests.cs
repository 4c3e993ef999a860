using IMatching.Geometry.Bal;
using IMatching.Geometry.Linear;
using IMatching.Geometry.Tests.TestSupport;

namespace IMatching.Geometry.Tests.Bal;

public sealed class BalIoTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imatching-bal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // 2 cameras, 3 points, 4 observations; line n of the file is Lines[n - 1].
    private static readonly string[] Lines =
    [
        "2 3 4",                 // 1
        "0 0 -12.5 3.25",        // 2
        "1 0 7.0 -1e-3",         // 3
        "0 2 0.5 0.5",           // 4
        "1 1 -3 4",              // 5
        "0.01", "-0.02", "0.03", "1.5", "-2.5", "3.5", "500", "-0.1", "0.01",  // 6-14: camera 0
        "-0.01", "0.02", "0.5", "0", "0", "-4", "480.5", "0", "0",             // 15-23: camera 1
        "1 2 -3",                // 24
        "0.5 0.25 -8",           // 25
        "-1 -2 -9.75",           // 26
    ];

    private string WriteFile(string name, IEnumerable<string> lines, string newline = "\n")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, string.Join(newline, lines) + newline);
        return path;
    }

    private static string[] Replace(int line, string text)
    {
        var copy = (string[])Lines.Clone();
        copy[line - 1] = text;
        return copy;
    }

    private static BalProblem RandomProblem(Random rng, int cameras, int points, int observations)
    {
        double Awkward()
        {
            // Full-precision doubles across many magnitudes, with a few exact special values.
            return rng.Next(8) switch
            {
                0 => -0.0,
                1 => 1.0 / 3,
                2 => double.Epsilon * rng.Next(1, 1000),
                3 => (rng.NextDouble() - 0.5) * 1e300,
                _ => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-20, 20)),
            };
        }
        var cams = new double[cameras][];
        for (int c = 0; c < cameras; c++) cams[c] = Enumerable.Range(0, 9).Select(_ => Awkward()).ToArray();
        var pts = Enumerable.Range(0, points).Select(_ => new Vec3(Awkward(), Awkward(), Awkward())).ToArray();
        var obs = Enumerable.Range(0, observations)
            .Select(_ => new BalObservation(rng.Next(cameras), rng.Next(points), Awkward(), Awkward())).ToArray();
        return new BalProblem(cams, pts, obs);
    }

    [Fact]
    public void WriteThenReadRoundTripsEveryBit()
    {
        var problem = RandomProblem(new Random(97), cameras: 4, points: 25, observations: 60);
        var path = Path.Combine(_dir, "round-trip.txt");
        BalWriter.Write(problem, path);
        Assert.Equal(["round-trip.txt"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        var back = BalReader.Read(path);

        Assert.Equal(problem.Cameras.Length, back.Cameras.Length);
        for (int c = 0; c < problem.Cameras.Length; c++) AssertBitwise(problem.Cameras[c], back.Cameras[c]);
        AssertBitwise(problem.Points.SelectMany(p => new[] { p.X, p.Y, p.Z }).ToArray(), back.Points.SelectMany(p => new[] { p.X, p.Y, p.Z }).ToArray());
        Assert.Equal(problem.Observations.Select(o => (o.Camera, o.Point)), back.Observations.Select(o => (o.Camera, o.Point)));
        AssertBitwise(problem.Observations.SelectMany(o => new[] { o.X, o.Y }).ToArray(), back.Observations.SelectMany(o => new[] { o.X, o.Y }).ToArray());
    }

    [Fact]
    public void WriteOverwritesAnExistingFile()
    {
        var path = WriteFile("existing.txt", ["junk"]);
        var problem = RandomProblem(new Random(101), 1, 1, 1);
        BalWriter.Write(problem, path);
        Assert.Single(BalReader.Read(path).Observations);
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void ReadsAWellFormedFileWithWindowsLineEndings()
    {
        var problem = BalReader.Read(WriteFile("good.txt", Lines, "\r\n"));
        Assert.Equal(2, problem.Cameras.Length);
        Assert.Equal(new BalObservation(1, 0, 7.0, -1e-3), problem.Observations[1]);
        Assert.Equal([-0.01, 0.02, 0.5, 0, 0, -4, 480.5, 0, 0], problem.Cameras[1]);
        Assert.Equal(new Vec3(-1, -2, -9.75), problem.Points[2]);
    }

    public static TheoryData<string, string[], int> MalformedFiles => new()
    {
        { "truncated-mid-observation", [.. Lines[..2], "1 0 7.0"], 3 },
        { "truncated-after-cameras", Lines[..23], 23 },
        { "truncated-mid-point", [.. Lines[..24], "0.5 0.25"], 25 },
        { "nan", Replace(4, "0 2 NaN 0.5"), 4 },
        { "lowercase-nan", Replace(19, "nan"), 19 },
        { "infinity", Replace(12, "Infinity"), 12 },
        { "negative-infinity", Replace(26, "-1 -Infinity -9.75"), 26 },
        { "overflow", Replace(5, "1 1 -3 1e400"), 5 },
        { "camera-index-too-large", Replace(3, "2 0 7.0 -1e-3"), 3 },
        { "camera-index-negative", Replace(3, "-1 0 7.0 -1e-3"), 3 },
        { "point-index-too-large", Replace(5, "1 3 -3 4"), 5 },
        { "point-index-negative", Replace(5, "1 -1 -3 4"), 5 },
        { "non-numeric-observation", Replace(4, "0 2 abc 0.5"), 4 },
        { "non-numeric-camera", Replace(8, "0.0.3"), 8 },
        { "non-numeric-point", Replace(25, "0.5 x -8"), 25 },
        { "fractional-index", Replace(2, "0.5 0 -12.5 3.25"), 2 },
        { "non-numeric-header", Replace(1, "2 three 4"), 1 },
        { "empty-header", Replace(1, "0 3 4"), 1 },
        { "no-points", Replace(1, "2 0 4"), 1 },
        { "negative-observations", Replace(1, "2 3 -4"), 1 },
        // Header counts beyond what the file holds read as truncation, without first allocating for the count.
        { "too-many-observations", Replace(1, "2 3 2000000000"), 6 },
        { "too-many-cameras", Replace(1, "2000000000 3 4"), 26 },
        { "too-many-points", Replace(1, "2 2000000000 4"), 26 },
        { "one-observation-too-many", Replace(1, "2 3 5"), 6 },
        { "trailing-junk", [.. Lines, "", "42"], 28 },
        { "trailing-junk-on-last-line", Replace(26, "-1 -2 -9.75 0"), 26 },
        { "empty", [], 1 },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void MalformedFilesReportFileAndLine(string name, string[] lines, int line)
    {
        var path = WriteFile(name + ".txt", lines);
        var e = Assert.Throws<BalFormatException>(() => BalReader.Read(path));
        Assert.Equal(line, e.Line);
        Assert.Equal(path, e.Path);
        Assert.Contains($"{name}.txt:{line}: ", e.Message);
    }

    [Fact]
    public void MissingFileIsNotAFormatError()
    {
        var path = Path.Combine(_dir, "missing.txt");
        var e = Assert.Throws<UserInputException>(() => BalReader.Read(path));
        Assert.Contains("missing.txt", e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void ReadsTheSharedSyntheticProblem()
    {
        var path = Path.Combine(RepoPaths.Shared, "bal", "synthetic-6-2000.txt");
        Assert.True(File.Exists(path), $"{path} is missing");
        var problem = BalReader.Read(path);
        Assert.Equal(6, problem.Cameras.Length);
        Assert.Equal(2000, problem.Points.Length);
        Assert.Equal(8046, problem.Observations.Length);
        Assert.All(problem.Cameras, c => Assert.Equal(9, c.Length));
        // README: f = 800, k1 = k2 = 0 for the true cameras; the start is perturbed but stays near.
        Assert.All(problem.Cameras, c => Assert.InRange(c[6], 400, 1600));
        Assert.Equal(new BalObservation(0, 0, 18.26496, -174.5745), problem.Observations[0]);
    }

    private static void AssertBitwise(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                $"entry {i}: wrote {expected[i]:R}, read {actual[i]:R}");
    }
}
