namespace IMatching.Learning.Backbones.Caps;

/// <summary>The torchvision ResNet whose first three stages form the CAPS encoder.</summary>
public enum CapsEncoder
{
    ResNet18,
    ResNet34,
    ResNet50,
}
