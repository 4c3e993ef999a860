using System.Globalization;
using ScottPlot;

namespace IMatching.Cli.Reports;

/// <summary>Relative pose AUC at each angle threshold, bars grouped by threshold with one bar per model.</summary>
public static class AucBarPlot
{
    public static void Save(string path, IReadOnlyList<double> thresholdsDeg, IReadOnlyList<(string Model, double[] Auc)> models)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        double barWidth = 0.8 / models.Count;
        var bars = new List<Bar>();
        for (int m = 0; m < models.Count; m++)
        {
            var colour = palette.GetColor(m);
            for (int t = 0; t < thresholdsDeg.Count; t++)
                bars.Add(new Bar { Position = t + (m - (models.Count - 1) / 2.0) * barWidth, Value = models[m].Auc[t], Size = barWidth * 0.9, FillColor = colour });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = models[m].Model, FillColor = colour });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, thresholdsDeg.Count).Select(t => (double)t)],
            [.. thresholdsDeg.Select(t => $"AUC@{t.ToString(CultureInfo.InvariantCulture)}°")]);
        plot.Title("Relative pose AUC");
        plot.YLabel("AUC");
        plot.Axes.SetLimits(-0.6, thresholdsDeg.Count - 0.4, 0, 1.02);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 720, 480);
    }
}
