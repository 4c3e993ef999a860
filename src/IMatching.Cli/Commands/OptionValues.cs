using System.Globalization;
using IMatching.Geometry.RobustLosses;
using IMatching.Geometry;
using IMatching.Geometry.BundleAdjustment;

namespace IMatching.Cli.Commands;

/// <summary>Checks of option values shared by the commands; each error names the option as the user typed it.</summary>
internal static class OptionValues
{
    /// <summary>Refuses a count below <paramref name="minimum"/> (e.g. <c>--threads 0</c>).</summary>
    public static int AtLeast(int value, int minimum, string option) =>
        value >= minimum ? value : throw new UserInputException($"{option} {value}", $"must be at least {minimum}");

    /// <summary>Refuses anything but a finite number above zero.</summary>
    public static double Positive(double value, string option) =>
        value > 0 && double.IsFinite(value) ? value : throw new UserInputException(string.Create(CultureInfo.InvariantCulture, $"{option} {value}"), "must be a positive number");

    /// <summary>Comma-separated positive frame counts, e.g. <c>1,3,5</c>.</summary>
    public static int[] FrameGaps(string text, string option = "--gaps") =>
        [.. text.Split(',').Select(g => int.TryParse(g, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0
            ? v : throw new UserInputException($"{option} '{text}'", $"'{g}' is not a positive frame count"))];

    /// <summary>A robust loss spec (none, huber:SCALE, cauchy:SCALE).</summary>
    public static LossFunction? RobustLoss(string spec, string option = "--robust")
    {
        try
        {
            return LossFunction.Parse(spec);
        }
        // LossFunction.Parse signals a malformed spec, and only that, with FormatException.
        catch (FormatException e)
        {
            throw new UserInputException($"{option} '{spec}'", e.Message, e);
        }
    }
}
