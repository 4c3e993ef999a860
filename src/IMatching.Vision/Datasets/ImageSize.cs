using System.Buffers.Binary;
using IMatching.Geometry;

namespace IMatching.Vision.Datasets;

/// <summary>Width and height of an image file, from the PNG header when it is one (no decoding), else by decoding.</summary>
internal static class ImageSize
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) Read(string path)
    {
        InputPaths.RequireFile(path, "image");
        Span<byte> header = stackalloc byte[24];
        using (var stream = File.OpenRead(path))
        {
            // A PNG starts with its signature and the IHDR chunk: width and height are bytes 16-23, big-endian.
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length && header[..8].SequenceEqual(PngSignature))
                return (BinaryPrimitives.ReadInt32BigEndian(header[16..]), BinaryPrimitives.ReadInt32BigEndian(header[20..]));
        }
        using var image = FrameImageLoader.Load(path, OpenCvSharp.ImreadModes.Unchanged);
        return (image.Width, image.Height);
    }
}
