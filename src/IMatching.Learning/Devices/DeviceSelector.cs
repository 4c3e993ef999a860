using System.Globalization;
using IMatching.Geometry;
using TorchSharp;

namespace IMatching.Learning.Devices;

/// <summary>
/// Turns a user-facing device option (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, <c>auto</c>) into a TorchSharp
/// <see cref="torch.Device"/>, failing early and clearly when CUDA is requested but cannot be used.
/// </summary>
public static class DeviceSelector
{
    /// <summary>The accepted spellings, for help texts.</summary>
    public const string Syntax = "cpu | cuda | cuda:<index> | auto";

    /// <summary>Parses <paramref name="option"/> against the CUDA devices libtorch actually sees.</summary>
    /// <exception cref="UserInputException">The option is not one of <see cref="Syntax"/>, or CUDA was requested explicitly but is
    /// unavailable, or the index is out of range.</exception>
    public static torch.Device Parse(string option)
    {
        // Validate the syntax before touching libtorch so a typo never pays for (or fails in) native loading.
        _ = Normalize(option);
        bool available = torch.cuda.is_available();
        // The first libtorch call of every model built from a spec: libtorch is loaded now.
        Nnpack.SwitchOff();
        return Parse(option, available, available ? torch.cuda.device_count() : 0);
    }

    /// <summary>Pure parsing core; <paramref name="cudaAvailable"/>/<paramref name="cudaDeviceCount"/> describe the machine.</summary>
    internal static torch.Device Parse(string option, bool cudaAvailable, int cudaDeviceCount)
    {
        string text = Normalize(option);

        if (text == "cpu")
            return new torch.Device(DeviceType.CPU);

        if (text == "auto")
            return cudaAvailable && cudaDeviceCount > 0 ? new torch.Device(DeviceType.CUDA, 0) : new torch.Device(DeviceType.CPU);

        int index = 0;
        if (text != "cuda")
        {
            string suffix = text["cuda:".Length..];
            if (!int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out index))
                throw Invalid(option);
        }

        if (!cudaAvailable || cudaDeviceCount <= 0)
        {
            throw new UserInputException($"device '{option.Trim()}'",
                "CUDA is not available: this build uses the CPU-only libtorch " +
                "package or no CUDA driver/GPU was found. Use '--device cpu' (or 'auto' to fall back to the CPU).");
        }

        if (index >= cudaDeviceCount)
        {
            throw new UserInputException($"device '{option.Trim()}'",
                $"only {cudaDeviceCount} CUDA device(s) are available " +
                $"(valid indices: 0..{cudaDeviceCount - 1}).");
        }

        return new torch.Device(DeviceType.CUDA, index);
    }

    private static string Normalize(string option)
    {
        ArgumentNullException.ThrowIfNull(option);
        string text = option.Trim().ToLowerInvariant();
        bool known = text is "cpu" or "auto" or "cuda" || text.StartsWith("cuda:", StringComparison.Ordinal);
        if (!known)
            throw Invalid(option);
        return text;
    }

    private static UserInputException Invalid(string option) => new($"device '{option}'", $"unrecognised; expected {Syntax}");
}
