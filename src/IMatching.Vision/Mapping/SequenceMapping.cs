using IMatching.Geometry.Trajectories;
using IMatching.Vision.Datasets;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Mapping;

/// <summary>The correspondences and map of a whole sequence, with its trajectory and, where the data has ground truth, its errors.</summary>
public sealed record SequenceMap(Sequence Sequence, IReadOnlyList<Correspondences> Pairs, MappingOutcome Outcome)
{
    /// <summary>Registered frames as a trajectory (cameraFromWorld, timestamps of the sequence).</summary>
    public Trajectory Trajectory() => new(Sequence.Frames
        .Select((f, i) => (f, Pose: Outcome.Map!.CameraFromWorld[i]))
        .Where(x => x.Pose is not null)
        .Select(x => new TimedPose(x.f.TimestampSeconds, x.Pose!.Value)));

    public Trajectory? GroundTruth() => Sequence.Frames.Any(f => f.GroundTruthCameraFromWorld is null)
        ? null
        : new Trajectory(Sequence.Frames.Select(f => new TimedPose(f.TimestampSeconds, f.GroundTruthCameraFromWorld!.Value)));
}

/// <summary>
/// Maps a sequence: matches every frame with the <c>frameGaps</c> frames before it (pairs
/// (k-2, k) and (k-1, k) by default, as the trainer's clips do), then runs the incremental mapper.
/// </summary>
public static class SequenceMapping
{
    public static SequenceMap Run(Sequence sequence, IPairMatcher matcher, MapperOptions? options = null, IReadOnlyList<int>? frameGaps = null, IProgress<(int Done, int Total)>? progress = null)
    {
        if (sequence.Count < 2) throw new ArgumentException($"Sequence {sequence.Name} has {sequence.Count} frame(s); mapping needs at least 2.");
        frameGaps ??= [1, 2];
        var pairs = new List<Correspondences>();
        var images = new Dictionary<int, OpenCvSharp.Mat>();
        int total = Enumerable.Range(0, sequence.Count).Sum(k => frameGaps.Count(g => k - g >= 0)), done = 0;
        try
        {
            for (int k = 0; k < sequence.Count; k++)
            {
                images[k] = FrameImageLoader.Load(sequence[k]);
                foreach (int gap in frameGaps.OrderByDescending(g => g))
                {
                    if (k - gap < 0) continue;
                    pairs.Add(matcher.Match(images[k - gap], images[k], k - gap, k));
                    progress?.Report((++done, total));
                }
                int oldest = k - frameGaps.Max();
                if (images.Remove(oldest, out var stale)) stale.Dispose();
            }
        }
        finally
        {
            foreach (var image in images.Values) image.Dispose();
        }
        var cameras = sequence.Frames.Select(f => f.Camera).ToArray();
        return new SequenceMap(sequence, pairs, Mapper.Run(cameras, pairs, options));
    }
}
