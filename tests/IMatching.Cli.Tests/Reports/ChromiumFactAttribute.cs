namespace IMatching.Cli.Tests.Reports;

/// <summary>
/// A test that needs headless Chromium. Skipped on a developer machine without it; under CI=true it always runs,
/// so a CI image that lacks the browser fails instead of silently skipping the check.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Find() is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Skip = "chromium is not installed (Debian: apt-get install chromium, or bash .ci/install-deps); CI=true runs this test regardless.";
    }
}
