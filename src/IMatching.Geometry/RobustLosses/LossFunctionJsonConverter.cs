using System.Text.Json;
using System.Text.Json.Serialization;

namespace IMatching.Geometry.RobustLosses;

/// <summary>A robust loss in JSON (a run's configuration file) as the text the CLI takes: "huber:1", "cauchy:0.5".</summary>
public sealed class LossFunctionJsonConverter : JsonConverter<LossFunction>
{
    public override LossFunction? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text = reader.GetString() ?? "none";
        try
        {
            return LossFunction.Parse(text);
        }
        catch (FormatException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, LossFunction value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}
