using IMatching.Learning.Devices;

namespace IMatching.Learning.Tests;

public class NnpackTests
{
    [Fact]
    public void BuildingAModelsDeviceSwitchesNnpackOff()
    {
        DeviceSelector.Parse("cpu");
        Assert.False(Nnpack.Enabled());
    }
}
