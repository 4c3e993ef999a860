using System.Globalization;

namespace IMatching.Geometry.Bal;

/// <summary>Writes the BAL text format with round-trip precision.</summary>
public static class BalWriter
{
    public static void Write(BalProblem problem, string path) => AtomicFile.WriteText(path, writer => Write(problem, writer));

    public static void Write(BalProblem problem, TextWriter writer)
    {
        var c = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Create(c, $"{problem.Cameras.Length} {problem.Points.Length} {problem.Observations.Length}"));
        foreach (var o in problem.Observations)
            writer.WriteLine(string.Create(c, $"{o.Camera} {o.Point} {o.X:R} {o.Y:R}"));
        foreach (var camera in problem.Cameras)
            foreach (var v in camera) writer.WriteLine(v.ToString("R", c));
        foreach (var p in problem.Points)
        {
            writer.WriteLine(p.X.ToString("R", c));
            writer.WriteLine(p.Y.ToString("R", c));
            writer.WriteLine(p.Z.ToString("R", c));
        }
    }
}
