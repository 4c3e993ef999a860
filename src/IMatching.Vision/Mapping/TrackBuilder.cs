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
    public readonly List<int> Frame = [];
    public readonly List<Vec2> Pixel = [];
    /// <summary>Undistorted normalised coordinates (z = 1).</summary>
    public readonly List<Vec2> Normalized = [];
    public readonly List<List<FeatureSource>> Sources = [];
    private readonly List<int> _parent = [];
    private readonly Dictionary<GridCell, List<int>> _grid = [];
    private readonly double _radius;
    private readonly IReadOnlyList<PinholeCamera> _cameras;

    public TrackBuilder(IReadOnlyList<PinholeCamera> cameras, IReadOnlyList<Correspondences> pairs, double mergeRadiusPx)
    {
        _cameras = cameras;
        _radius = Math.Max(mergeRadiusPx, 1e-9);
        for (int p = 0; p < pairs.Count; p++)
        {
            var c = pairs[p];
            for (int i = 0; i < c.Count; i++)
            {
                int a = Add(c.FrameA, c.PointsA[i], new FeatureSource(CorrespondenceSide.A, c.OriginIds[i], c.PointsA[i], c.Confidence[i]));
                int b = Add(c.FrameB, c.PointsB[i], new FeatureSource(CorrespondenceSide.B, c.OriginIds[i], c.PointsB[i], c.Confidence[i]));
                Union(a, b);
            }
        }
    }

    public int Count => Frame.Count;

    private int Add(int frame, Vec2 pixel, FeatureSource source)
    {
        long cx = (long)Math.Floor(pixel.X / _radius), cy = (long)Math.Floor(pixel.Y / _radius);
        for (long dx = -1; dx <= 1; dx++)
            for (long dy = -1; dy <= 1; dy++)
                if (_grid.TryGetValue(new GridCell(frame, cx + dx, cy + dy), out var cell))
                    foreach (int f in cell)
                        if ((Pixel[f] - pixel).Norm <= _radius)
                        {
                            Sources[f].Add(source);
                            return f;
                        }
        int id = Frame.Count;
        Frame.Add(frame);
        Pixel.Add(pixel);
        Normalized.Add(_cameras[frame].Undistort(pixel));
        Sources.Add([source]);
        _parent.Add(id);
        var key = new GridCell(frame, cx, cy);
        if (!_grid.TryGetValue(key, out var list)) _grid[key] = list = [];
        list.Add(id);
        return id;
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

    private int MostSupported(IGrouping<int, int> featuresOfOneFrame)
    {
        int best = -1, bestSupport = 0;
        bool tie = false;
        foreach (int f in featuresOfOneFrame)
        {
            int support = Sources[f].Count;
            if (support > bestSupport) { best = f; bestSupport = support; tie = false; }
            else if (support == bestSupport) tie = true;
        }
        return tie ? -1 : best;
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
    /// </summary>
    public List<int[]> Tracks()
    {
        var groups = new Dictionary<int, List<int>>();
        for (int f = 0; f < Count; f++)
        {
            int r = Find(f);
            if (!groups.TryGetValue(r, out var g)) groups[r] = g = [];
            g.Add(f);
        }
        var tracks = new List<int[]>();
        foreach (var g in groups.Values)
        {
            var clean = g.GroupBy(f => Frame[f]).Select(MostSupported).Where(f => f >= 0).ToArray();
            if (clean.Length >= 2) tracks.Add(clean);
        }
        return tracks;
    }
}
