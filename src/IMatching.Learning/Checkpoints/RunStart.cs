namespace IMatching.Learning.Checkpoints;

/// <summary>A run folder readied by <see cref="RunFolder.Start"/>, with the checkpoint to resume from (null for a fresh start).</summary>
public sealed record RunStart(RunFolder Folder, string? ResumeFrom);
