using IMatching.Geometry.Linear;
using IMatching.Learning.Pretraining;
using OpenCvSharp;

namespace IMatching.Learning.Tests.Pretraining;

/// <summary>Random homography pairs: repeatable per seed, and the returned homography is the warp the images show.</summary>
public class HomographyPairSamplerTests
{
    private static readonly PhotometricAugmentation Unchanged = PhotometricAugmentation.None;

    [Fact]
    public void The_same_seed_gives_the_same_pair_and_another_seed_another()
    {
        using var image = Texture(160, 120);
        var sampler = new HomographyPairSampler();
        using var first = sampler.Sample(image, new Random(7));
        using var again = sampler.Sample(image, new Random(7));
        using var other = sampler.Sample(image, new Random(8));
        Assert.Equal(first.BFromA, again.BFromA);
        Assert.Equal(Bytes(first.ImageA), Bytes(again.ImageA));
        Assert.Equal(Bytes(first.ImageB), Bytes(again.ImageB));
        Assert.NotEqual(first.BFromA, other.BFromA);
        Assert.NotEqual(Bytes(first.ImageB), Bytes(other.ImageB));
    }

    [Fact]
    public void No_augmentation_returns_the_image_itself_with_the_identity()
    {
        using var image = Texture(64, 48);
        var still = new HomographyAugmentation { MaxRotationDegrees = 0, MinScale = 1, MaxScale = 1, MaxTranslation = 0, MaxCornerJitter = 0 };
        using var pair = new HomographyPairSampler(still, Unchanged).Sample(image, new Random(1));
        var h = pair.BFromA;
        Assert.True(Math.Abs(h.M00 - 1) < 1e-9 && Math.Abs(h.M11 - 1) < 1e-9 && Math.Abs(h.M02) < 1e-9 && Math.Abs(h.M12) < 1e-9 && Math.Abs(h.M20) < 1e-12);
        Assert.Equal(Bytes(image), Bytes(pair.ImageA));
        Assert.Equal(Bytes(image), Bytes(pair.ImageB));
    }

    /// <summary>
    /// A small blob at a sub-pixel point of A must appear at H·p in B, pixel centres at integers: a half-pixel
    /// mistake in either the warp or the corners would show as a 0.5 px bias.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_point_of_A_appears_in_B_where_the_homography_sends_it(bool crop)
    {
        var sampler = new HomographyPairSampler(appearance: Unchanged, cropSize: crop ? (160, 120) : null);
        int checkedPoints = 0;
        for (int seed = 0; seed < 60; seed++)
        {
            var point = new Vec2(120.3 + seed, 90.6 + seed / 2.0);
            using var image = Blob(320, 240, point);
            using var pair = sampler.Sample(image, new Random(seed));
            // The blob reaches 10 px from its centre: one cut by a border has a shifted centroid.
            if (Centroid(pair.ImageA) is not { } inA || !Inside(inA, pair.ImageA, 12)) continue;
            Vec2 expected = RandomHomography.Apply(pair.BFromA, inA);
            if (!Inside(expected, pair.ImageB, 12)) continue;
            Vec2 inB = Centroid(pair.ImageB) ?? throw new Xunit.Sdk.XunitException($"seed {seed}: the blob vanished from B");
            Assert.True((inB - expected).Norm < 0.15, $"seed {seed}: blob at {inB} in B, homography says {expected}");
            checkedPoints++;
        }
        Assert.True(checkedPoints >= 15, $"only {checkedPoints} blobs stayed inside both images");
    }

    [Fact]
    public void Homographies_stay_within_their_range()
    {
        var range = new HomographyAugmentation();
        for (int seed = 0; seed < 200; seed++)
        {
            Mat3 h = RandomHomography.Sample(320, 240, range, new Random(seed));
            var centre = RandomHomography.Apply(h, new Vec2(159.5, 119.5));
            // Centre moves by the translation plus the mean corner jitter (and a little perspective).
            Assert.InRange(Math.Abs(centre.X - 159.5), 0, (range.MaxTranslation + range.MaxCornerJitter) * 320 + 10);
            Assert.InRange(Math.Abs(centre.Y - 119.5), 0, (range.MaxTranslation + range.MaxCornerJitter) * 240 + 10);
            foreach (var corner in new[] { new Vec2(0, 0), new Vec2(319, 0), new Vec2(319, 239), new Vec2(0, 239) })
            {
                var q = h * new Vec3(corner.X, corner.Y, 1);
                Assert.True(q.Z > 0, $"seed {seed}: corner {corner} crosses the line at infinity");
            }
        }
    }

    [Fact]
    public void Photometric_jitter_changes_the_look_but_keeps_size_and_type()
    {
        using var image = Texture(64, 48);
        using var jittered = PhotometricJitter.Apply(image, new PhotometricAugmentation(), new Random(3));
        Assert.Equal(image.Size(), jittered.Size());
        Assert.Equal(image.Type(), jittered.Type());
        Assert.NotEqual(Bytes(image), Bytes(jittered));
        using var again = PhotometricJitter.Apply(image, new PhotometricAugmentation(), new Random(3));
        Assert.Equal(Bytes(jittered), Bytes(again));
    }

    private static bool Inside(Vec2 p, Mat image, double margin) =>
        p.X >= margin && p.Y >= margin && p.X <= image.Width - 1 - margin && p.Y <= image.Height - 1 - margin;

    private static Mat Texture(int width, int height)
    {
        var image = new Mat(height, width, MatType.CV_8UC3);
        Cv2.Randu(image, Scalar.All(0), Scalar.All(255));
        return image;
    }

    /// <summary>A Gaussian blob (sigma 1.5 px) centred at <paramref name="centre"/> in pixel-centre coordinates.</summary>
    private static Mat Blob(int width, int height, Vec2 centre)
    {
        var image = new Mat(height, width, MatType.CV_8UC3, Scalar.All(0));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double d2 = (x - centre.X) * (x - centre.X) + (y - centre.Y) * (y - centre.Y);
                if (d2 < 100) image.Set(y, x, new Vec3b(Level(d2), Level(d2), Level(d2)));
            }
        return image;
    }

    private static byte Level(double d2) => (byte)Math.Round(255 * Math.Exp(-d2 / (2 * 1.5 * 1.5)));

    /// <summary>Intensity-weighted centre of the image's bright pixels, or null when there are none.</summary>
    private static Vec2? Centroid(Mat image)
    {
        byte[] bytes = Bytes(image);
        int width = image.Width, channels = image.Channels();
        double sum = 0, sx = 0, sy = 0;
        for (int i = 0; i < bytes.Length; i += channels)
        {
            double v = bytes[i];
            if (v < 2) continue;
            int pixel = i / channels;
            (sum, sx, sy) = (sum + v, sx + v * (pixel % width), sy + v * (pixel / width));
        }
        return sum < 255 ? null : new Vec2(sx / sum, sy / sum);
    }

    private static byte[] Bytes(Mat image)
    {
        using var continuous = image.Clone();
        var bytes = new byte[continuous.Total() * continuous.ElemSize()];
        System.Runtime.InteropServices.Marshal.Copy(continuous.Data, bytes, 0, bytes.Length);
        return bytes;
    }
}
