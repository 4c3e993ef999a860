namespace IMatching.Learning.Training;

/// <summary>How a step combines one metric over the samples it used.</summary>
public enum MetricAggregation { Sum, Mean }

/// <summary>A quantity a step strategy reports per sample; logged to TensorBoard as <c>PREFIX/TAG</c>.</summary>
public sealed record TrainingMetric(string Tag, MetricAggregation Aggregation);

/// <summary>One sample's value of a metric.</summary>
public readonly record struct Measurement(TrainingMetric Metric, double Value);
