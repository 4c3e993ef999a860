using IMatching.Geometry;
using IMatching.Learning.Devices;
using TorchSharp;

namespace IMatching.Learning.Tests;

public class DeviceSelectorTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData(" CPU ")]
    public void Cpu_parses_to_cpu_device(string option)
    {
        torch.Device device = DeviceSelector.Parse(option);
        Assert.Equal(DeviceType.CPU, device.type);
    }

    [Fact]
    public void Auto_falls_back_to_cpu_without_cuda()
    {
        Assert.Equal(DeviceType.CPU, DeviceSelector.Parse("auto").type);
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("cuda:1")]
    public void Cuda_without_cuda_throws_clear_error(string option)
    {
        // The CPU-only libtorch package never sees CUDA, so this exercises the real probe.
        var error = Assert.Throws<UserInputException>(() => DeviceSelector.Parse(option));
        Assert.Contains("CUDA is not available", error.Message);
        Assert.Contains("--device cpu", error.Message);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("")]
    public void Malformed_option_is_a_user_input_error(string option)
    {
        var error = Assert.Throws<UserInputException>(() => DeviceSelector.Parse(option));
        Assert.Contains(DeviceSelector.Syntax, error.Message);
    }

    [Theory]
    [InlineData("cuda", 0)]
    [InlineData("cuda:1", 1)]
    [InlineData("auto", 0)]
    public void Cuda_options_map_to_indices_when_devices_exist(string option, int expectedIndex)
    {
        torch.Device device = DeviceSelector.Parse(option, cudaAvailable: true, cudaDeviceCount: 2);
        Assert.Equal(DeviceType.CUDA, device.type);
        Assert.Equal(expectedIndex, device.index);
    }

    [Fact]
    public void Cuda_index_out_of_range_throws()
    {
        var error = Assert.Throws<UserInputException>(() => DeviceSelector.Parse("cuda:2", cudaAvailable: true, cudaDeviceCount: 2));
        Assert.Contains("only 2 CUDA device(s)", error.Message);
    }
}
