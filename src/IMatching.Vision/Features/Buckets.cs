namespace IMatching.Vision.Features;

/// <summary>
/// Splits the image into Columns x Rows equal cells; selection then takes the best point of every
/// cell before the second best of any, so a few strongly textured regions cannot take the whole budget.
/// </summary>
public readonly record struct Buckets
{
    public Buckets(int columns, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        (Columns, Rows) = (columns, rows);
    }

    public int Columns { get; }
    public int Rows { get; }
}
