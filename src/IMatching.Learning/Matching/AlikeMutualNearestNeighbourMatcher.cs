using IMatching.Geometry.Linear;
using IMatching.Learning.Backbones.Alike;
using IMatching.Vision.Matching;
using OpenCvSharp;
using TorchSharp;
using Scalar = TorchSharp.Scalar;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// The published way to match with ALIKE, as a baseline: keypoints in both images, then mutual nearest neighbours
/// of their descriptors. Nothing here is differentiable; confidence is the descriptors' cosine similarity.
/// </summary>
public sealed class AlikeMutualNearestNeighbourMatcher(AlikeNetwork network, int maxKeypoints) : IPairMatcher, IDisposable
{
    private readonly DkdOptions _detection = network.Config.Detection with { MaxKeypoints = maxKeypoints };

    public AlikeNetwork Network { get; } = network;
    public string Name => Network.Config.Name;

    public Correspondences Match(Mat imageA, Mat imageB, int frameA, int frameB)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Device device = Network.parameters().First().device;
        using AlikeKeypoints a = Network.Detect(ImageTensor.FromMat(imageA, device), _detection)[0];
        using AlikeKeypoints b = Network.Detect(ImageTensor.FromMat(imageB, device), _detection)[0];
        if (a.Count == 0 || b.Count == 0) return Correspondences.Create(frameA, frameB, [], []);

        Tensor similarity = a.Descriptors.matmul(b.Descriptors.t());
        Tensor forward = similarity.argmax(1);
        Tensor backward = similarity.argmax(0);
        Tensor mutual = backward.index_select(0, forward).eq(ScalarArithmetic.Arange(a.Count, ScalarType.Int64, device)).nonzero().view(-1);
        Tensor matched = forward.index_select(0, mutual);

        Vec2[] pointsA = Points(a.Positions.index_select(0, mutual));
        Vec2[] pointsB = Points(b.Positions.index_select(0, matched));
        double[] confidence = [.. similarity.index_select(0, mutual).gather(1, matched.unsqueeze(1)).view(-1).cpu().data<float>().ToArray().Select(s => (double)s)];
        long[] origins = mutual.cpu().data<long>().ToArray();
        return Correspondences.Create(frameA, frameB, pointsA, pointsB, confidence, origins);
    }

    private static Vec2[] Points(Tensor positions)
    {
        float[] xy = positions.cpu().data<float>().ToArray();
        return [.. Enumerable.Range(0, xy.Length / 2).Select(i => new Vec2(xy[2 * i], xy[2 * i + 1]))];
    }

    public void Dispose() => Network.Dispose();
}
