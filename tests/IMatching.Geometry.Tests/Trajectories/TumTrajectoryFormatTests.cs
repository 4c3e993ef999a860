using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.Tests.TestSupport;
using IMatching.Geometry.Trajectories;

namespace IMatching.Geometry.Tests.Trajectories;

public sealed class TumTrajectoryFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imatching-tum-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteFile(string text)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void WrittenTrajectoryReadsBackUnchanged()
    {
        var original = TrajectoryTestData.RandomTrajectory(new Random(1), 50, startTime: 1305031102.175304);
        var path = Path.Combine(_dir, "traj.txt");
        File.WriteAllText(path, "old contents");
        TumTrajectoryFormat.Write(original, path);
        Assert.Equal([path], Directory.GetFiles(_dir));

        var read = TumTrajectoryFormat.Read(path);
        Assert.Equal(original.Count, read.Count);
        for (int i = 0; i < original.Count; i++)
        {
            Assert.Equal(original.Poses[i].Timestamp, read.Poses[i].Timestamp);
            Approx.Equal(original.Poses[i].CameraFromWorld.Rotation, read.Poses[i].CameraFromWorld.Rotation, 1e-14, $"rotation {i}");
            Approx.Equal(original.Poses[i].CameraFromWorld.Translation, read.Poses[i].CameraFromWorld.Translation, 1e-13, $"translation {i}");
        }
    }

    [Fact]
    public void LinesHoldCameraToWorldPoses()
    {
        // 90 degrees about z: the camera's x axis points along world y. Comments, blank lines, tabs and commas are allowed.
        double h = Math.Sqrt(0.5);
        var text = FormattableString.Invariant($"# ground truth\n\n1.5 1 2 3 0 0 {h} {h}\n2.0,\t4,5,6,0,0,0,1\n");
        var trajectory = TumTrajectoryFormat.Read(new StringReader(text), "inline");
        Assert.Equal([1.5, 2.0], trajectory.Poses.Select(p => p.Timestamp));
        var cameraFromWorld = trajectory.Poses[0].CameraFromWorld;
        Approx.Equal(new Vec3(1, 2, 3), cameraFromWorld.InverseTranslation, 1e-15);
        Approx.Equal(new Vec3(0, 1, 0), cameraFromWorld.Inverse().Rotation * new Vec3(1, 0, 0), 1e-15);
        Approx.Equal(Mat3.Identity, trajectory.Poses[1].CameraFromWorld.Rotation, 1e-15);
        Approx.Equal(new Vec3(-4, -5, -6), trajectory.Poses[1].CameraFromWorld.Translation, 1e-15);
    }

    [Fact]
    public void SlightlyNonUnitQuaternionsAreNormalised()
    {
        var trajectory = TumTrajectoryFormat.Read(new StringReader("0 0 0 0 0 0 0.7072 0.7072\n"), "inline");
        Approx.Equal(So3.Exp(new Vec3(0, 0, -Math.PI / 2)), trajectory.Poses[0].CameraFromWorld.Rotation, 1e-15);
    }

    [Theory]
    [InlineData("1 0 0 0 0 0 0 1\n2 0 0 0 0 0 1\n", 2, "found 7")]
    [InlineData("# header\n1 0 0 0 0 0 0 1 9\n", 2, "found 9")]
    [InlineData("1 0 0 0 0 0 0 1\n\n2 0 0 x 0 0 0 1\n", 3, "tz 'x' is not a number")]
    [InlineData("1 0 nan 0 0 0 0 1\n", 1, "ty 'nan' is not finite")]
    [InlineData("1 0 0 0 0 0 0 1\n2 0 0 0 0 0 0 Infinity\n", 2, "qw 'Infinity' is not finite")]
    [InlineData("1 0 0 0 0 0 0 1.01\n", 1, "norm 1.01")]
    [InlineData("1 0 0 0 0 0 0 0\n", 1, "norm 0")]
    [InlineData("1 0 0 0 0 0 0 1\n1 0 0 0 0 0 0 1\n", 2, "increasing time order")]
    [InlineData("# only a comment\n", 1, "no poses")]
    public void MalformedFilesNameTheFileAndLine(string text, int line, string problem)
    {
        var path = WriteFile(text);
        var e = Assert.Throws<TrajectoryFormatException>(() => TumTrajectoryFormat.Read(path));
        Assert.Equal(path, e.Path);
        Assert.Equal(line, e.Line);
        Assert.StartsWith($"{path}:{line}: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var path = Path.Combine(_dir, "missing.txt");
        Assert.Contains(path, Assert.Throws<UserInputException>(() => TumTrajectoryFormat.Read(path)).Message);
    }
}
