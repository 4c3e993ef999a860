using IMatching.Geometry.Cameras;
using IMatching.Learning.Matching;
using IMatching.Vision.Datasets;
using IMatching.Vision.Mapping;
using OpenCvSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Training;

/// <summary>
/// A stand-in network for fast training tests: the exact correspondences of a <see cref="SyntheticClip"/> with a
/// learnable 2-D offset added to every prediction (a real one-parameter nn.Module). Frames are tiny uniform images
/// whose grey level names the frame, so the matcher knows which frames the loop handed it. Imperative learning
/// should drive the offset to zero, since only unbiased predictions agree with one scene.
/// </summary>
internal sealed class SyntheticClipMatcher : IDifferentiableMatcher
{
    private const int GreyStep = 20;
    private readonly SyntheticClip _clip;
    private readonly BiasModule _module;

    public SyntheticClipMatcher(SyntheticClip clip, float biasX, float biasY)
    {
        _clip = clip;
        _module = new BiasModule(biasX, biasY);
    }

    /// <summary>The clip's frames written as flat images of the camera's size (frames are checked against their intrinsics), with the clip's camera.</summary>
    public static Sequence WriteFrames(SyntheticClip clip, string folder)
    {
        Directory.CreateDirectory(folder);
        var frames = new List<Frame>();
        for (int k = 0; k < clip.CameraFromWorld.Length; k++)
        {
            string path = Path.Combine(folder, $"{k:D3}.png");
            using var image = new Mat(clip.Camera.Height, clip.Camera.Width, MatType.CV_8UC3, Scalar.All(GreyStep * k));
            Assert.True(Cv2.ImWrite(path, image));
            frames.Add(new Frame(k, 0.1 * k, path, clip.Camera));
        }
        return new Sequence("synthetic-clip", frames);
    }

    public string Name => "synthetic-clip";
    public Device Device => CPU;
    public IReadOnlyList<Tensor> Parameters => [.. _module.parameters()];
    public nn.Module Network => _module;
    public Tensor Bias => _module.Bias;
    /// <summary>Puts a NaN into every spread, which the trainer must refuse like a NaN point.</summary>
    public bool NaNSpread { get; set; }
    /// <summary>Names a frame outside the clip, which makes the mapper throw.</summary>
    public bool BadFrameIndex { get; set; }

    public void Train(bool on) => _module.train(on);

    public IReadOnlyList<PairPredictions> Predict(IReadOnlyList<Tensor> images, IReadOnlyList<(int A, int B)> pairs)
    {
        var frameOf = images.Select(i => (int)Math.Round(i.mean().item<float>() * 255 / GreyStep)).ToList();
        var result = new List<PairPredictions>();
        for (int p = 0; p < pairs.Count; p++)
        {
            var (a, b) = pairs[p];
            var truth = _clip.Pairs.Single(c => c.FrameA == frameOf[a] && c.FrameB == frameOf[b]);
            int n = truth.Count;
            var queries = new double[n, 2];
            var points = new float[2 * n];
            for (int i = 0; i < n; i++)
            {
                queries[i, 0] = truth.PointsA[i].X; queries[i, 1] = truth.PointsA[i].Y;
                points[2 * i] = (float)truth.PointsB[i].X; points[2 * i + 1] = (float)truth.PointsB[i].Y;
            }
            var fine = tensor(points, [n, 2]).add(_module.Bias);
            var spread = tensor(Enumerable.Repeat(NaNSpread ? float.NaN : 1f, n).ToArray());
            var ids = Enumerable.Range(0, n).Select(i => OriginId.Encode(p, i)).ToArray();
            result.Add(new PairPredictions(BadFrameIndex ? images.Count + a : a, b, queries, fine, fine, spread, null, ids));
        }
        return result;
    }

    public void Dispose() => _module.Dispose();
}
