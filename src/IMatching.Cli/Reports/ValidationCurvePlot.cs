using ScottPlot;

namespace IMatching.Cli.Reports;

/// <summary>The held-out score at each validation step of a training run.</summary>
public static class ValidationCurvePlot
{
    public static void Save(string path, string metricName, IReadOnlyList<(int Step, double Value)> points)
    {
        var plot = new Plot();
        var line = plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.Value).ToArray());
        line.LegendText = metricName;
        line.LineWidth = 2;
        line.MarkerSize = 7;
        plot.Title("Validation");
        plot.XLabel("step");
        plot.YLabel(metricName);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 720, 480);
    }
}
