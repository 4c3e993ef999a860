using System.Text.Json.Serialization;

namespace IMatching.Learning.Matching;

/// <summary>Where the <see cref="ExpectationHead"/> centres its fine window in the other image.</summary>
// By name in checkpoints and config.json, so a reordering never changes what a stored run means.
[JsonConverter(typeof(JsonStringEnumConverter<WindowCentre>))]
public enum WindowCentre
{
    /// <summary>
    /// On the coarse expectation, attached to the graph (CAPS without <c>use_nn</c>): the window moves with the coarse
    /// estimate, so a loss on the fine point also trains the coarse level. The window falls between fine cells and
    /// is interpolated bilinearly.
    /// </summary>
    Attached,

    /// <summary>
    /// On the coarse cell whose descriptor correlates best with the query (CAPS's <c>use_nn</c>, its default), snapped
    /// to the fine lattice and detached: the window is an integer crop and a fine loss trains the fine level only.
    /// </summary>
    Nearest,
}
