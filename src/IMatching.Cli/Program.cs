using System.CommandLine;
using IMatching.Cli.Commands;
using IMatching.Geometry;

namespace IMatching.Cli;

public static class Program
{
    /// <summary>The commands that run networks (libtorch's memory), for which a restart with huge pages pays off.</summary>
    private static readonly string[] TensorCommands = ["train", "pretrain", "demo", "eval", "match", "map"];

    /// <summary>The commands that train a network, whose peak memory is the clip's maps, gradients and one frame's graph.</summary>
    private static readonly string[] TrainingCommands = ["train", "pretrain", "demo"];

    public static int Main(string[] args)
    {
        // First thing, as the process may be replaced: a tensor command is re-executed with glibc asking for huge pages
        // (HugePages), which cuts its page faults by an order of magnitude; `ba` and the others start no faster for it.
        if (args.Length > 0 && TensorCommands.Contains(args[0])) Learning.HugePages.RestartWithHugePages();
        // Before the first tensor: glibc would otherwise fault in every large tensor's pages afresh (NativeHeap); training
        // maps its largest blocks on their own, for a resident peak that follows its tensors.
        Learning.NativeHeap.KeepFreedMemory(mapLargeBlocks: args.Length > 0 && TrainingCommands.Contains(args[0]));
        return Run(args);
    }

    /// <summary>
    /// Parses and runs one command. Bad input of any kind (an option System.CommandLine cannot parse, or a
    /// <see cref="UserInputException"/> from wherever input enters) is reported here, once, as a user error (exit 2);
    /// any other exception is a bug and leaves with its stack trace (exit 1).
    /// </summary>
    public static int Run(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine("(see --help)");
            return CliError.BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UserInputException e)
        {
            return CliError.Report(e);
        }
    }

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
