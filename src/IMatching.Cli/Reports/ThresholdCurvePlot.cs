using ScottPlot;

namespace IMatching.Cli.Reports;

/// <summary>Fraction of matches within each pixel threshold, one line per model (MMA or epipolar precision).</summary>
public static class ThresholdCurvePlot
{
    public static void Save(string path, string title, string yLabel, IReadOnlyList<double> thresholdsPx, IReadOnlyList<(string Model, double[] Fractions)> curves)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        double[] xs = [.. thresholdsPx];
        for (int i = 0; i < curves.Count; i++)
        {
            var line = plot.Add.Scatter(xs, curves[i].Fractions, palette.GetColor(i));
            line.LegendText = curves[i].Model;
            line.LineWidth = 2;
            line.MarkerSize = 7;
        }
        plot.Title(title);
        plot.XLabel("threshold (px)");
        plot.YLabel(yLabel);
        plot.Axes.SetLimits(0, xs.Max() + 0.5, 0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 720, 480);
    }
}
