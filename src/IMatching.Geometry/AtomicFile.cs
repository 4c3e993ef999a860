using System.Text;

namespace IMatching.Geometry;

/// <summary>
/// Writes a text file through a temporary file renamed over it, so readers never see half a file, and removes the
/// temporary file when writing fails, so a failed write leaves nothing behind.
/// </summary>
public static class AtomicFile
{
    public static void WriteText(string path, Action<TextWriter> write)
    {
        string temporary = path + ".tmp";
        try
        {
            using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false)))
                write(writer);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
