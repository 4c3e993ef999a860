namespace IMatching.Cli.Demo;

/// <summary>Makes the demo's starting model: supervised homography pretraining on the source domain.</summary>
public static class DemoPretraining
{
    public static string Run(DemoPlan plan, string folder) =>
        throw new NotSupportedException("Pretraining is not wired in yet: pass --start.");
}
