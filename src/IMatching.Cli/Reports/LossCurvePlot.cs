using ScottPlot;

namespace IMatching.Cli.Reports;

/// <summary>Training loss per step (skipped steps leave gaps), with a moving average to show the trend.</summary>
public static class LossCurvePlot
{
    public static void Save(string path, string title, IReadOnlyList<(int Step, double Loss)> losses, int window = 10)
    {
        var plot = new Plot();
        double[] steps = [.. losses.Select(l => (double)l.Step)];
        double[] values = [.. losses.Select(l => l.Loss)];
        var raw = plot.Add.Scatter(steps, values);
        raw.LegendText = "loss";
        raw.LineWidth = 1;
        raw.MarkerSize = 3;
        if (values.Length >= window)
        {
            double[] mean = [.. values.Select((_, i) => values.Skip(Math.Max(0, i - window + 1)).Take(Math.Min(window, i + 1)).Average())];
            var trend = plot.Add.Scatter(steps, mean);
            trend.LegendText = $"mean of {window}";
            trend.LineWidth = 3;
            trend.MarkerSize = 0;
        }
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("loss (BA cost of the predictions / image size)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 720, 480);
    }
}
