using System.Globalization;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Bal;

/// <summary>Reads the BAL text format, refusing truncated files, non-finite numbers and out-of-range indices.</summary>
public static class BalReader
{
    public static BalProblem Read(string path)
    {
        InputPaths.RequireFile(path, "BAL file");
        return Parse(File.ReadAllText(path), path);
    }

    public static BalProblem Parse(string text, string sourceName)
    {
        var t = new Tokenizer(text, sourceName);
        int nCameras = t.NextInt("camera count");
        int headerLine = t.TokenLine;
        int nPoints = t.NextInt("point count"), pointsLine = t.TokenLine, nObs = t.NextInt("observation count");
        // The counts must share the header's line: a missing one would otherwise be taken from the next line and
        // reported there.
        if (pointsLine != headerLine || t.TokenLine != headerLine)
            throw new BalFormatException(sourceName, headerLine, "the header needs three counts on one line: cameras points observations");
        if (nCameras <= 0 || nPoints <= 0 || nObs <= 0)
            throw t.Error($"header declares {nCameras} cameras, {nPoints} points, {nObs} observations: an empty problem");
        var observations = new List<BalObservation>(Capacity(nObs, 4, t.Remaining));
        for (int i = 0; i < nObs; i++)
        {
            int camera = t.NextInt($"camera index of observation {i}");
            int point = t.NextInt($"point index of observation {i}");
            if ((uint)camera >= (uint)nCameras) throw t.Error($"observation {i}: camera index {camera} is outside [0, {nCameras})");
            if ((uint)point >= (uint)nPoints) throw t.Error($"observation {i}: point index {point} is outside [0, {nPoints})");
            observations.Add(new BalObservation(camera, point, t.NextFinite($"x of observation {i}"), t.NextFinite($"y of observation {i}")));
        }
        var cameras = new List<double[]>(Capacity(nCameras, 9, t.Remaining));
        for (int c = 0; c < nCameras; c++)
        {
            var camera = new double[9];
            for (int j = 0; j < 9; j++) camera[j] = t.NextFinite($"parameter {j} of camera {c}");
            cameras.Add(camera);
        }
        var points = new List<Vec3>(Capacity(nPoints, 3, t.Remaining));
        for (int p = 0; p < nPoints; p++)
            points.Add(new Vec3(t.NextFinite($"x of point {p}"), t.NextFinite($"y of point {p}"), t.NextFinite($"z of point {p}")));
        if (t.HasMore) throw t.Error("unexpected data after the last point");
        return new BalProblem([.. cameras], [.. points], [.. observations]);
    }

    /// <summary>
    /// No more items than the rest of the text can hold (each token takes at least a separator and a digit), so a
    /// corrupt header count cannot force a huge allocation: reading then stops where the file really ends.
    /// </summary>
    private static int Capacity(int count, int tokensEach, int remainingChars) => (int)Math.Min(count, remainingChars / (2L * tokensEach));

    private ref struct Tokenizer(string text, string source)
    {
        private int _pos;
        private int _line = 1;
        // Where the last token started: a truncated file is reported at its last line holding data, not at the
        // empty line after its final newline.
        private int _tokenLine = 1;

        public readonly int Remaining => text.Length - _pos;

        /// <summary>The line the last token read started on.</summary>
        public readonly int TokenLine => _tokenLine;

        public bool HasMore
        {
            get
            {
                SkipSpace();
                return _pos < text.Length;
            }
        }

        public BalFormatException Error(string message) => new(source, _line, message);

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                if (text[_pos] == '\n') _line++;
                _pos++;
            }
        }

        private ReadOnlySpan<char> Next(string what)
        {
            SkipSpace();
            if (_pos >= text.Length) throw new BalFormatException(source, _tokenLine, $"file ends before the {what} (truncated?)");
            int start = _pos;
            _tokenLine = _line;
            while (_pos < text.Length && !char.IsWhiteSpace(text[_pos])) _pos++;
            return text.AsSpan(start, _pos - start);
        }

        public int NextInt(string what)
        {
            var token = Next(what);
            if (!int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
                throw Error($"{what}: '{token}' is not an integer");
            return value;
        }

        public double NextFinite(string what)
        {
            var token = Next(what);
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw Error($"{what}: '{token}' is not a number");
            if (!double.IsFinite(value)) throw Error($"{what} is {token}: not finite");
            return value;
        }
    }
}
