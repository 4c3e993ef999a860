namespace IMatching.Learning.Backbones.Alike;

/// <summary>The four published ALIKE networks, smallest to largest (alike-t, -s, -n, -l).</summary>
public enum AlikeVariant
{
    Tiny,
    Small,
    Normal,
    Large,
}
