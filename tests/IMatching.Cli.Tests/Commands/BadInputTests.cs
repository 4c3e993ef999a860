using System.Text.Json;
using IMatching.Cli.Tests.TestSupport;

namespace IMatching.Cli.Tests.Commands;

/// <summary>
/// Every class of bad input the commands meet, one row each: the command must stop with exit code 2, print
/// <c>error: ...</c> naming the culprit (file, line, option or value), and show no stack trace. Inputs come from
/// <see cref="BadInputData"/>; <c>{D}</c> in an argument stands for its folder, <c>{ALIKE}</c> for the shared ALIKE-t weights.
/// </summary>
[Collection("Console")]
public sealed class BadInputTests(BadInputData data) : IClassFixture<BadInputData>
{
    /// <summary>Row name, then the culprit(s) stderr must name, then the arguments.</summary>
    private static readonly (string Name, string[] Named, string Args)[] Rows =
    [
        // Datasets: silent wrong answers before.
        ("homography set without H1to3p", ["graf_no_h3/H1to3p", "missing"], "eval --data homography:{D}/graf_no_h3 --model orb"),
        ("homography set without img3", ["graf_no_img3/img3", "missing"], "eval --data homography:{D}/graf_no_img3 --model orb"),
        ("rank-1 homography", ["graf_rank1/H1to2p", "singular"], "eval --data homography:{D}/graf_rank1 --model orb"),
        ("frame of another size (eval)", ["tum_odd_size/rgb/0003.png", "32x24", "64x48"], "eval --data tum:{D}/tum_odd_size --model orb --gaps 1"),
        ("frame of another size (map)", ["tum_odd_size/rgb/0003.png", "32x24", "64x48"], "map --data tum:{D}/tum_odd_size --json --threads 1"),
        ("eval-traj with one estimated centre", ["est_same_centre.txt", "estimated camera centres coincide"], "eval-traj --est {D}/est_same_centre.txt --gt {D}/gt.txt"),
        // Datasets: unclear errors before.
        ("repeated rgb.txt line", ["tum_repeated_line/rgb.txt:5:", "time order"], "map --data tum:{D}/tum_repeated_line --json"),
        ("repeated KITTI timestamp", ["kitti_repeated_time/image_0/000002.png", "time order"], "map --data kitti:{D}/kitti_repeated_time --json"),
        ("BAL header missing a count", ["header_missing_token.bal:1:", "three counts"], "ba {D}/header_missing_token.bal"),
        ("directory as BAL file", ["a-folder", "is a directory"], "ba {D}/a-folder"),
        ("directory as trajectory", ["a-folder", "is a directory"], "eval-traj --est {D}/a-folder --gt {D}/gt.txt"),
        ("file as sequence folder", ["a-file", "is a file"], "map --data tum:{D}/a-file"),
        ("missing video", ["missing.avi", "video not found"], "map --data video:{D}/missing.avi"),
        ("gap longer than the sequence (map)", ["--gaps 50", "5 frames"], "map --data tum:{D}/tum_good --gaps 50"),
        ("gap longer than the sequence (eval)", ["--data", "no pairs"], "eval --data tum:{D}/tum_good --model orb --gaps 50"),
        // Already handled classes, kept handled.
        ("collinear centres", ["est_collinear.txt", "collinear"], "eval-traj --est {D}/est_collinear.txt --gt {D}/gt.txt"),
        ("truncated BAL file", ["truncated.bal:2:", "truncated"], "ba {D}/truncated.bal"),
        ("frame range past the end", ["tum:{D}/tum_good#2-9", "outside the sequence (frames 0-4)"], "map --data tum:{D}/tum_good#2-9"),
        ("missing sequence folder", ["{D}/nowhere", "not found"], "map --data tum:{D}/nowhere"),
        ("sequence without intrinsics", ["tum_no_camera", "camera.txt"], "map --data tum:{D}/tum_no_camera"),
        ("unknown data kind", ["nosuchkind", "valid kinds"], "eval --data nosuchkind:{D} --model orb"),
        ("missing image (match)", ["{D}/gone.png", "not found"], "match {D}/gone.png {D}/img.png --model orb"),
        ("corrupt image (match)", ["not-an-image.png", "not a readable image"], "match {D}/not-an-image.png {D}/img.png --model orb"),
        ("unknown model", ["superglue", "unknown"], "match {D}/img.png {D}/img.png --model superglue"),
        ("model without its weights", ["alike-s+exp", "needs a weights file"], "match {D}/img.png {D}/img.png --model alike-s+exp"),
        ("missing weights file", ["{D}/none.pth", "not found"], "match {D}/img.png {D}/img.png --model alike-t+exp:{D}/none.pth"),
        ("bad query spec", ["surf:5"], "match {D}/img.png {D}/img.png --model alike-t+exp:{ALIKE} --queries surf:5"),
        ("bad robust loss", ["--robust 'tukey:1'", "unknown kind"], "ba --robust tukey:1"),
        ("unknown render domain", ["mars", "known domains"], "render --domain mars --out {D}/render"),
        // Weight files that are not state dicts: crashes before.
        ("empty .pth", ["empty.pth", "not a PyTorch state dict"], "match {D}/img.png {D}/img.png --model alike-t+exp:{D}/empty.pth"),
        ("random-bytes .pth", ["random.pth", "not a PyTorch state dict"], "match {D}/img.png {D}/img.png --model alike-t+exp:{D}/random.pth"),
        ("truncated .pth", ["truncated.pth", "not a PyTorch state dict"], "match {D}/img.png {D}/img.png --model alike-t+exp:{D}/truncated.pth"),
        // Options: each error names the option as typed.
        ("--max-features 0 (map)", ["--max-features 0", "at least 1"], "map --data tum:{D}/tum_good --max-features 0"),
        ("--max-features 0 (eval)", ["--max-features 0"], "eval --data tum:{D}/tum_good --model orb --max-features 0"),
        ("--max-features 0 (match)", ["--max-features 0"], "match {D}/img.png {D}/img.png --model orb --max-features 0"),
        ("--threads 0 (map)", ["--threads 0"], "map --data tum:{D}/tum_good --threads 0"),
        ("--threads 0 (ba)", ["--threads 0"], "ba --threads 0"),
        ("--gaps with a word", ["--gaps '1,x'", "'x'"], "eval --data tum:{D}/tum_good --model orb --gaps 1,x"),
        ("--delta 0", ["--delta 0"], "eval-traj --est {D}/gt.txt --gt {D}/gt.txt --delta 0"),
        ("--max-dt -1", ["--max-dt -1"], "eval-traj --est {D}/gt.txt --gt {D}/gt.txt --max-dt -1"),
        ("--width 4", ["--width 4"], "render --domain office --width 4 --out {D}/render"),
        ("--frames 0", ["--frames 0"], "render --domain office --frames 0 --out {D}/render"),
        ("--speed 0", ["--speed 0"], "render --domain office --speed 0 --out {D}/render"),
        ("--device gpu", ["device 'gpu'"], "match {D}/img.png {D}/img.png --model alike-t+exp:{ALIKE} --device gpu"),
        ("--frame-spacing 0 (train)", ["--frame-spacing 0"], "train --data tum:{D}/tum_good --model alike-t+exp:{ALIKE} --out {D}/run --frame-spacing 0"),
        ("--max-features 0 (train)", ["--max-features 0"], "train --data tum:{D}/tum_good --model alike-t+exp:{ALIKE} --out {D}/run --max-features 0"),
        ("--clip-length 1 (train)", ["--clip-length 1"], "train --data tum:{D}/tum_good --model alike-t+exp:{ALIKE} --out {D}/run --clip-length 1"),
        ("unknown window centre (eval)", ["--window-centre 'middle'", "attached"], "eval --data tum:{D}/tum_good --model alike-t+exp:{ALIKE} --window-centre middle"),
        ("unknown objective (train)", ["--objective 'l3'"], "train --data tum:{D}/tum_good --model alike-t+exp:{ALIKE} --out {D}/run --objective l3"),
        ("--threads 0 (pretrain)", ["--threads 0"], "pretrain --data tum:{D}/tum_good --model alike-t+exp --out {D}/run --threads 0"),
        ("unparsable number", ["abc", "--max-features"], "map --data tum:{D}/tum_good --max-features abc"),
        ("unknown option", ["--nosuch"], "ba --nosuch"),
        // Outputs: checked before any work.
        ("ba --out into a missing folder", ["--out", "{D}/missing/out.bal", "does not exist"], "ba {D}/truncated.bal --out {D}/missing/out.bal"),
        ("ba --out into an unwritable folder", ["--out", "/proc", "cannot write"], "ba {D}/truncated.bal --out /proc/out.bal"),
        ("map --out into a missing folder", ["--out", "{D}/missing", "does not exist"], "map --data tum:{D}/tum_good --out {D}/missing/traj.txt"),
        ("map --out onto a folder", ["--out", "a-folder", "is a directory"], "map --data tum:{D}/tum_good --out {D}/a-folder"),
        ("eval --json into a missing folder", ["--json", "{D}/missing", "does not exist"], "eval --data homography:{D}/graf_good --model orb --json {D}/missing/e.json"),
        ("eval --csv into an unwritable folder", ["--csv", "/proc", "cannot write"], "eval --data homography:{D}/graf_good --model orb --csv /proc/e.csv"),
        ("eval --report onto a file", ["--report", "a-file", "is a file"], "eval --data homography:{D}/graf_good --model orb --report {D}/a-file"),
        ("match --out into a missing folder", ["--out", "{D}/missing", "does not exist"], "match {D}/img.png {D}/img.png --model orb --out {D}/missing/m.png"),
        ("match --out with no image extension", ["--out", "m.xyz", "extension"], "match {D}/img.png {D}/img.png --model orb --out {D}/m.xyz"),
        ("render --out under a file", ["--out", "a-file", "cannot create"], "render --domain office --frames 1 --out {D}/a-file/render"),
    ];

    public static TheoryData<string> Names => [.. Rows.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Is_a_clear_error_naming_its_culprit(string name)
    {
        var row = Rows.Single(r => r.Name == name);
        string[] args = [.. row.Args.Split(' ').Select(Expand)];

        var (code, output, err) = CliRunner.Run(args);

        Assert.True(code == CliError.BadInput, $"exit {code}\nstdout: {output}\nstderr: {err}");
        Assert.StartsWith("error: ", err);
        foreach (var culprit in row.Named.Select(Expand)) Assert.Contains(culprit, err);
        Assert.DoesNotContain("   at ", err + output);
        Assert.DoesNotContain("Exception", err + output);
    }

    [Fact]
    public void Refused_outputs_leave_no_files_behind()
    {
        string folder = data.PathOf("outputs");
        Directory.CreateDirectory(folder);
        CliRunner.Run("ba", data.PathOf("truncated.bal"), "--out", Path.Combine(folder, "out.bal"));
        CliRunner.Run("map", "--data", $"tum:{data.PathOf("tum_repeated_line")}", "--out", Path.Combine(folder, "traj.txt"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void Eval_keeps_the_pairs_finished_before_a_late_failure()
    {
        // Gap 1 over frames 0-4: pairs 0-1 and 1-2 are scored, then 2-3 meets the frame of another size.
        string json = data.PathOf("late-failure.json"), csv = data.PathOf("late-failure.csv");
        var (code, _, err) = CliRunner.Run("eval", "--data", $"tum:{data.PathOf("tum_odd_size")}", "--model", "orb", "--gaps", "1", "--json", json, "--csv", csv);

        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("0003.png", err);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var pairs = doc.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("pair").GetString()).ToList();
        Assert.Equal(["0-1", "1-2", null], pairs);
        Assert.StartsWith("orb,tum_odd_size,2,", File.ReadAllLines(csv)[1]);
        Assert.Empty(Directory.EnumerateFiles(data.Root, "*.tmp"));
    }

    [Fact]
    public void A_good_homography_set_still_scores_every_pair()
    {
        string json = data.PathOf("good.json");
        var (code, _, err) = CliRunner.Run("eval", "--data", $"homography:{data.PathOf("graf_good")}", "--model", "orb", "--json", json);

        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(["1-2", "1-3", null], doc.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("pair").GetString()));
        Assert.Equal(0, doc.RootElement.GetProperty("failures").GetArrayLength());
    }

    private string Expand(string text) => text.Replace("{D}", data.Root, StringComparison.Ordinal)
        .Replace("{ALIKE}", Path.Combine(RepoPaths.Shared, "weights", "alike", "alike-t.pth"), StringComparison.Ordinal);
}
