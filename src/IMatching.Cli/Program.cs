using System.CommandLine;
using IMatching.Cli.Commands;

namespace IMatching.Cli;

public static class Program
{
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("IMatching: teach feature matchers from unlabelled video by imperative learning.");
        root.Subcommands.Add(BaCommand.Create());
        root.Subcommands.Add(MapCommand.Create());
        root.Subcommands.Add(EvalTrajCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(MatchCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(PretrainCommand.Create());
        return root;
    }
}
