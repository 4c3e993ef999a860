namespace IMatching.Geometry.BundleAdjustment;

/// <summary>How the solver moves a free pose (its manifold, in Ceres' terms); both have 6 degrees of freedom.</summary>
public enum PoseUpdate
{
    /// <summary>
    /// The left perturbation Exp(delta) * cameraFromWorld on SE(3), delta = (translation, rotation): the same at every
    /// rotation (no singular angle), and on the BAL problems about as fast as <see cref="AngleAxis"/> (fewer LM steps on one
    /// of the four, more on the other three).
    /// </summary>
    LeftSe3,
    /// <summary>
    /// Additive in the angle-axis vector w and the translation t of cameraFromWorld (P = Exp(w) X + t), as Ceres' BAL
    /// example parameterises its cameras: the same problem, so the same optimum, and LM takes Ceres' path to it, step for step.
    /// What BAL files are solved with unless told otherwise (<see cref="Bal.BalProblem.DefaultPoseUpdate"/>).
    /// </summary>
    AngleAxis,
}
