using System.Runtime.InteropServices;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Linear;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Mapping;

/// <summary>Where a feature came from: the correspondence with id <c>OriginId</c>, on side A or B, at that correspondence's own pixel.</summary>
internal readonly record struct FeatureSource(CorrespondenceSide Side, long OriginId, Vec2 PixelPx, double Confidence);

/// <summary>
/// Features (one pixel of one frame) and the tracks that pairwise correspondences chain them into.
/// Coincident features of a frame (within the merge radius) are one feature, which is how a point
/// matched in several pairs becomes one multi-view track.
/// </summary>
internal sealed class TrackBuilder
{
    public readonly List<int> Frame;
    public readonly List<Vec2> Pixel;
    /// <summary>Undistorted normalised coordinates (z = 1).</summary>
    public readonly List<Vec2> Normalized;
    private readonly List<int> _parent;
    /// <summary>Each merge-grid cell's features as a chain through <see cref="_nextInCell"/>, oldest first.</summary>
    private readonly Dictionary<GridCell, (int First, int Last)> _cells;
    private readonly List<int> _nextInCell;
    private readonly double _radius;
    private readonly IReadOnlyList<PinholeCamera> _cameras;
    /// <summary>Feature f's sources are <c>_sources[_sourceStart[f].._sourceStart[f + 1]]</c>, in the order the ends arrived.</summary>
    private readonly FeatureSource[] _sources;
    private readonly int[] _sourceStart;

    public TrackBuilder(IReadOnlyList<PinholeCamera> cameras, IReadOnlyList<Correspondences> pairs, double mergeRadiusPx)
    {
        _cameras = cameras;
        _radius = Math.Max(mergeRadiusPx, 1e-9);
        int ends = 0;
        for (int p = 0; p < pairs.Count; p++) ends += 2 * pairs[p].Count;
        (Frame, Pixel, Normalized, _parent, _nextInCell) = (new(ends), new(ends), new(ends), new(ends), new(ends));
        _cells = new Dictionary<GridCell, (int, int)>(ends);
        // Every end's feature, in arrival order; grouped by feature once all have arrived.
        var endFeature = new int[ends];
        var endSource = new FeatureSource[ends];
        int end = 0;
        for (int p = 0; p < pairs.Count; p++)
        {
            var c = pairs[p];
            for (int i = 0; i < c.Count; i++)
            {
                endSource[end] = new FeatureSource(CorrespondenceSide.A, c.OriginIds[i], c.PointsA[i], c.Confidence[i]);
                int a = endFeature[end++] = Add(c.FrameA, c.PointsA[i]);
                endSource[end] = new FeatureSource(CorrespondenceSide.B, c.OriginIds[i], c.PointsB[i], c.Confidence[i]);
                int b = endFeature[end++] = Add(c.FrameB, c.PointsB[i]);
                Union(a, b);
            }
        }
        (var order, _sourceStart) = GroupBy(endFeature, Count);
        _sources = new FeatureSource[ends];
        for (int i = 0; i < ends; i++) _sources[i] = endSource[order[i]];
    }

    public int Count => Frame.Count;
    /// <summary>Correspondence ends, all features together.</summary>
    public int SourceCount => _sources.Length;

    /// <summary>The correspondence ends merged into feature <paramref name="feature"/>, in the order they arrived.</summary>
    public ReadOnlySpan<FeatureSource> Sources(int feature) => _sources.AsSpan(_sourceStart[feature], _sourceStart[feature + 1] - _sourceStart[feature]);

    /// <summary>The feature of <paramref name="frame"/> within the merge radius of <paramref name="pixel"/> (the first found), or a new one.</summary>
    private int Add(int frame, Vec2 pixel)
    {
        long cx = (long)Math.Floor(pixel.X / _radius), cy = (long)Math.Floor(pixel.Y / _radius);
        for (long dx = -1; dx <= 1; dx++)
            for (long dy = -1; dy <= 1; dy++)
                if (_cells.TryGetValue(new GridCell(frame, cx + dx, cy + dy), out var cell))
                    for (int f = cell.First; f >= 0; f = _nextInCell[f])
                        if ((Pixel[f] - pixel).Norm <= _radius) return f;
        int id = Frame.Count;
        Frame.Add(frame);
        Pixel.Add(pixel);
        Normalized.Add(_cameras[frame].Undistort(pixel));
        _parent.Add(id);
        _nextInCell.Add(-1);
        ref var own = ref CollectionsMarshal.GetValueRefOrAddDefault(_cells, new GridCell(frame, cx, cy), out bool exists);
        if (exists) _nextInCell[own.Last] = id;
        own = (exists ? own.First : id, id);
        return id;
    }

    /// <summary>
    /// Indices 0..n-1 grouped by their key in [0, <paramref name="keys"/>) by a stable counting sort: group k is
    /// <c>Order[Start[k]..Start[k + 1]]</c>, ascending.
    /// </summary>
    private static (int[] Order, int[] Start) GroupBy(int[] keyOf, int keys)
    {
        var start = new int[keys + 1];
        foreach (int k in keyOf) start[k + 1]++;
        for (int k = 0; k < keys; k++) start[k + 1] += start[k];
        var next = start[..^1];
        var order = new int[keyOf.Length];
        for (int i = 0; i < keyOf.Length; i++) order[next[keyOf[i]]++] = i;
        return (order, start);
    }

    /// <summary>
    /// A merge-grid cell of one frame. Its own equality and a multiplicative hash: a value tuple's default comparer
    /// and combined hash made the nine lookups per feature a visible share of mapping a clip.
    /// </summary>
    private readonly struct GridCell(int frame, long x, long y) : IEquatable<GridCell>
    {
        private readonly long _x = x, _y = y;
        private readonly int _frame = frame;

        public bool Equals(GridCell other) => _x == other._x && _y == other._y && _frame == other._frame;
        public override bool Equals(object? obj) => obj is GridCell other && Equals(other);
        public override int GetHashCode() => (int)(unchecked((ulong)_x * 0x9E3779B97F4A7C15UL + (ulong)_y * 0x632BE59BD9B4E019UL + (ulong)_frame * 0x2545F4914F6CDD1DUL) >> 32);
    }

    private int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }
        return x;
    }

    private void Union(int a, int b)
    {
        int ra = Find(a), rb = Find(b);
        if (ra != rb) _parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
    }

    /// <summary>
    /// Tracks as feature lists, at most one feature per frame. A track that reaches two different
    /// features in one frame is inconsistent there (a wrong match joined two tracks): the feature that
    /// more correspondences agree on stays, and on a tie that frame's features leave the track.
    /// Tracks come in order of their oldest feature, a track's frames in order of their oldest feature there.
    /// </summary>
    public List<int[]> Tracks()
    {
        var root = new int[Count];
        for (int f = 0; f < Count; f++) root[f] = Find(f);
        // Union keeps the smaller root, so a set's root is its oldest feature: sets in order of it, members oldest first.
        var (members, start) = GroupBy(root, Count);

        var tracks = new List<int[]>();
        var clean = new List<int>();
        for (int r = 0; r < Count; r++)
        {
            int first = start[r], last = start[r + 1];
            if (last - first < 2) continue;
            clean.Clear();
            for (int i = first; i < last; i++)
            {
                int frame = Frame[members[i]];
                bool seen = false;
                for (int j = first; j < i && !seen; j++) seen = Frame[members[j]] == frame;
                if (seen) continue;
                if (MostSupported(members, i, last, frame) is int f and >= 0) clean.Add(f);
            }
            if (clean.Count >= 2) tracks.Add(clean.ToArray());
        }
        return tracks;
    }

    /// <summary>Among <paramref name="members"/>[from..to] in <paramref name="frame"/>, the feature with most sources, or -1 on a tie.</summary>
    private int MostSupported(int[] members, int from, int to, int frame)
    {
        int best = -1, bestSupport = 0;
        bool tie = false;
        for (int i = from; i < to; i++)
        {
            int f = members[i];
            if (Frame[f] != frame) continue;
            int support = Sources(f).Length;
            if (support > bestSupport) { best = f; bestSupport = support; tie = false; }
            else if (support == bestSupport) tie = true;
        }
        return tie ? -1 : best;
    }
}
