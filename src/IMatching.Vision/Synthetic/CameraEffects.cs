using OpenCvSharp;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// What the domain's camera and medium do to a rendered view before it is stored: blur, sharpening, white balance,
/// saturation, contrast, vignetting and Gaussian sensor noise, then 8-bit quantisation. Noise comes from a hash of
/// (pixel, channel, frame, seed), so it changes from frame to frame but not from run to run.
/// </summary>
internal static class CameraEffects
{
    /// <summary>An 8-bit BGR image (the caller disposes it) from RGB floats, which are modified.</summary>
    public static Mat Apply(float[] rgb, int width, int height, SyntheticDomain domain, int frameIndex, int seed)
    {
        if (domain.BlurSigmaPx > 0) Blur(rgb, width, height, domain.BlurSigmaPx);
        if (domain.Sharpen > 0)
        {
            var smooth = (float[])rgb.Clone();
            Blur(smooth, width, height, 1.0);
            float amount = (float)domain.Sharpen;
            for (int i = 0; i < rgb.Length; i++) rgb[i] += amount * (rgb[i] - smooth[i]);
        }
        var bytes = new byte[rgb.Length];
        uint frameSeed = Hash.Of(frameIndex, seed, 0x6a09e667u);
        double halfDiagonalSquared = 0.25 * (width * (double)width + height * (double)height);
        var gain = domain.Gain;
        Parallel.For(0, height, y =>
        {
            for (int x = 0; x < width; x++)
            {
                int i = 3 * (y * width + x);
                double r = gain.X * rgb[i], g = gain.Y * rgb[i + 1], b = gain.Z * rgb[i + 2];
                double grey = 0.299 * r + 0.587 * g + 0.114 * b;
                double dx = x - 0.5 * (width - 1), dy = y - 0.5 * (height - 1);
                double vignette = 1 - domain.Vignette * (dx * dx + dy * dy) / halfDiagonalSquared;
                Span<double> c = [r, g, b];
                for (int k = 0; k < 3; k++)
                {
                    double value = grey + domain.Saturation * (c[k] - grey);
                    value = (0.5 + domain.Contrast * (value - 0.5)) * vignette;
                    if (domain.NoiseSigma > 0)
                        value += domain.NoiseSigma * Hash.Gaussian(Hash.Of(x, y, 2 * k, frameSeed), Hash.Of(x, y, 2 * k + 1, frameSeed));
                    // BGR, as OpenCV stores colour images.
                    bytes[i + 2 - k] = (byte)Math.Clamp(Math.Round(255 * value), 0, 255);
                }
            }
        });
        using var wrapped = Mat.FromPixelData(height, width, MatType.CV_8UC3, bytes);
        return wrapped.Clone();
    }

    private static void Blur(float[] rgb, int width, int height, double sigmaPx)
    {
        // Wraps the array, so the in-place blur writes straight into it.
        using var image = Mat.FromPixelData(height, width, MatType.CV_32FC3, rgb);
        Cv2.GaussianBlur(image, image, new Size(0, 0), sigmaPx, sigmaPx, BorderTypes.Reflect101);
    }
}
