using OpenCvSharp;

namespace IMatching.Learning.Pretraining;

/// <summary>Applies one random draw of <see cref="PhotometricAugmentation"/> to an 8-bit image.</summary>
public static class PhotometricJitter
{
    /// <returns>A new image of the same size and type; the input is not changed.</returns>
    public static Mat Apply(Mat image, PhotometricAugmentation range, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(random);
        range.Validate();
        if (image.Depth() != MatType.CV_8U) throw new ArgumentException($"Expected an 8-bit image, got {image.Type()}.", nameof(image));
        // Every number is drawn before any is used, so a range set to zero does not shift the draws of the others.
        double brightness = Uniform(random, range.MaxBrightness);
        double contrast = 1 + Uniform(random, range.MaxContrast);
        double gamma = Math.Exp(Uniform(random, Math.Log(range.MaxGamma)));
        double noise = random.NextDouble() * range.MaxNoise;
        double blur = random.NextDouble() < 0.5 ? 0 : random.NextDouble() * range.MaxBlurSigma;
        int noiseSeed = random.Next();

        int channels = image.Channels();
        using var values = new Mat();
        image.ConvertTo(values, MatType.CV_32FC(channels), 1 / 255.0);
        if (gamma != 1) Cv2.Pow(values, gamma, values);
        Scalar means = Cv2.Mean(values);
        double mean = Enumerable.Range(0, channels).Average(c => means[c]);
        values.ConvertTo(values, -1, contrast, (1 - contrast) * mean + brightness);
        // Optics before the sensor: blur first, then noise.
        if (blur > 0) Cv2.GaussianBlur(values, values, new Size(0, 0), blur);
        if (noise > 0)
        {
            using Mat gaussian = GaussianNoise(values.Rows, values.Cols, channels, noise, new Random(noiseSeed));
            Cv2.Add(values, gaussian, values);
        }
        var result = new Mat();
        values.ConvertTo(result, image.Type(), 255);
        return result;
    }

    /// <summary>Noise from the caller's seed rather than OpenCV's process-wide generator, which concurrent callers would share.</summary>
    private static Mat GaussianNoise(int rows, int cols, int channels, double std, Random random)
    {
        var samples = new float[rows * cols * channels];
        for (int i = 0; i < samples.Length; i += 2)
        {
            // Box–Muller: two independent normals per pair of uniforms.
            double radius = std * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            double angle = 2 * Math.PI * random.NextDouble();
            samples[i] = (float)(radius * Math.Cos(angle));
            if (i + 1 < samples.Length) samples[i + 1] = (float)(radius * Math.Sin(angle));
        }
        using Mat pinned = Mat.FromPixelData(rows, cols, MatType.CV_32FC(channels), samples);
        return pinned.Clone();
    }

    private static double Uniform(Random random, double limit) => (2 * random.NextDouble() - 1) * limit;
}
