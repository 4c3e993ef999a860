using System.Text;
using OpenCvSharp;

namespace IMatching.Vision.Tests.TestSupport;

/// <summary>A throw-away folder the reader tests fill with the layout of one dataset.</summary>
public sealed class TempDataset : IDisposable
{
    public TempDataset(string name = "dataset")
    {
        Root = Path.Combine(Directory.CreateTempSubdirectory("imatching-data-").FullName, name);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Root)!, recursive: true);

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string Text(string relative, params string[] lines)
    {
        string path = Prepare(relative);
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>A small BGR image filled with one grey level, so tests can tell images apart after loading.</summary>
    public string Image(string relative, int width = 8, int height = 6, byte level = 128)
    {
        string path = Prepare(relative);
        using var image = new Mat(height, width, MatType.CV_8UC3, new Scalar(level, level, level));
        Assert.True(Cv2.ImWrite(path, image), $"could not write {path}");
        return path;
    }

    public string DepthPng(string relative, int width, int height, ushort[] values)
    {
        string path = Prepare(relative);
        using var image = new Mat(height, width, MatType.CV_16UC1);
        image.SetArray(values);
        Assert.True(Cv2.ImWrite(path, image), $"could not write {path}");
        return path;
    }

    /// <summary>Writes an .npy (version 1) with the given header fields, so tests can also make the unsupported kinds.</summary>
    public string Npy(string relative, string descr, string shape, byte[] data, bool fortranOrder = false)
    {
        string path = Prepare(relative);
        string header = $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shape}, }}";
        // NumPy pads the header with spaces so magic, version, length, header and newline fill whole 64-byte blocks.
        header = header.PadRight((10 + header.Length + 1 + 63) / 64 * 64 - 11) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, .. "NUMPY"u8, 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.Latin1.GetBytes(header));
        stream.Write(data);
        return path;
    }

    public static byte[] Float32Bytes(params float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private string Prepare(string relative)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
