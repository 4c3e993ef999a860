namespace IMatching.Learning.Checkpoints;

/// <summary>How a run treats its folder (see <see cref="RunFolder.Start"/>).</summary>
public enum RunMode
{
    /// <summary>A new run: the folder must not hold one already.</summary>
    New,
    /// <summary>A new run that first clears the run the folder holds (checkpoints, best, latest, logs).</summary>
    Overwrite,
    /// <summary>Continue from the folder's latest checkpoint, which must be intact.</summary>
    Resume,
    /// <summary>Continue from the latest checkpoint, or, when it is damaged, from the newest intact one.</summary>
    ResumeWithFallback,
}
