using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using IMatching.Geometry;

namespace IMatching.Vision.Datasets;

/// <summary>
/// Reads NumPy <c>.npy</c> files holding a 2-D little-endian float32 array in C order (what TartanAir's depth
/// maps are); anything else is refused with the reason rather than misread.
/// </summary>
public static partial class NpyReader
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Returns the values row by row.</summary>
    public static (int Rows, int Columns, float[] Values) ReadFloat32Matrix(string path)
    {
        InputPaths.RequireFile(path, ".npy file");
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic)) throw new DatasetException(path, "not a .npy file (no \\x93NUMPY magic)");
        int major = bytes[6];
        // Version 1 stores the header length in 2 bytes, versions 2 and 3 in 4.
        int lengthBytes = major == 1 ? 2 : major is 2 or 3 ? 4 : throw new DatasetException(path, $".npy version {major} is not supported");
        int headerLength = lengthBytes == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int dataStart = 8 + lengthBytes + headerLength;
        if (headerLength < 0 || dataStart > bytes.Length) throw new DatasetException(path, "truncated .npy header");
        string header = Encoding.Latin1.GetString(bytes, 8 + lengthBytes, headerLength);

        string descr = Field(DescrField(), header, path, "descr");
        if (descr != "<f4") throw new DatasetException(path, $"dtype '{descr}' is not supported (need little-endian float32 '<f4')");
        if (Field(FortranField(), header, path, "fortran_order") != "False") throw new DatasetException(path, "Fortran-order arrays are not supported (need C order)");
        var shape = Field(ShapeField(), header, path, "shape").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (shape.Length != 2) throw new DatasetException(path, $"array has {shape.Length} dimensions, need 2");
        int rows = int.Parse(shape[0]), columns = int.Parse(shape[1]);

        long expected = (long)rows * columns * sizeof(float);
        if (bytes.Length - dataStart != expected)
            throw new DatasetException(path, $"holds {bytes.Length - dataStart} data bytes, shape ({rows}, {columns}) needs {expected}");
        // A byte-for-byte copy of '<f4' data is right on little-endian hardware, which every supported runtime is.
        var values = new float[rows * columns];
        Buffer.BlockCopy(bytes, dataStart, values, 0, (int)expected);
        return (rows, columns, values);
    }

    private static string Field(Regex pattern, string header, string path, string name)
    {
        var match = pattern.Match(header);
        return match.Success ? match.Groups[1].Value : throw new DatasetException(path, $".npy header has no '{name}': {header.Trim()}");
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrField();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(\w+)")]
    private static partial Regex FortranField();

    [GeneratedRegex(@"'shape'\s*:\s*\(([\d,\s]*)\)")]
    private static partial Regex ShapeField();
}
