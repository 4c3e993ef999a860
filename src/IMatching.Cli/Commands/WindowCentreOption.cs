using System.CommandLine;
using IMatching.Geometry;
using IMatching.Learning.Matching;

namespace IMatching.Cli.Commands;

/// <summary><c>--window-centre attached|nearest</c>, defined once for every command that builds an expectation head.</summary>
internal static class WindowCentreOption
{
    public const string Name = "--window-centre";

    public static Option<string?> Create() => new(Name)
    {
        Description = $"Where expectation heads centre the fine window: {string.Join(" or ", WindowCentres.Names)} "
            + "(attached: on the coarse estimate, in the graph; nearest: on the best coarse cell, detached, as published). "
            + "Default: the one a ckpt: model was trained with, else the model's own (ALIKE: nearest, CAPS: attached).",
    };

    /// <returns>null when the option is not given (the model's own centre).</returns>
    public static WindowCentre? Parse(string? name) => name is null
        ? null
        : WindowCentres.Parse(name) ?? throw new UserInputException($"{Name} '{name}'", $"unknown (known: {string.Join(", ", WindowCentres.Names)})");
}
