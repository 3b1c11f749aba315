// The incoming-call ring, generated with WebAudio (no audio file to ship): the two-tone 440 + 480 Hz
// ring of telephones, one second on and two off, until stopped. An analyser on the output lets
// the page (and its tests) tell whether the tone is really sounding.

const Frequencies = [440, 480];
const OnSeconds = 1;
const PeriodSeconds = 3;
const Volume = 0.15;

export class Ringtone {
  private context: AudioContext | null = null;
  private analyser: AnalyserNode | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  get playing(): boolean {
    return this.context !== null;
  }

  /** Starts ringing (again from the start if it already rang). Never throws: a page without audio stays silent. */
  start(): void {
    this.stop();
    try {
      const context = new AudioContext();
      const gain = context.createGain();
      gain.gain.value = 0;
      const analyser = context.createAnalyser();
      gain.connect(analyser);
      analyser.connect(context.destination);
      for (const frequency of Frequencies) {
        const oscillator = context.createOscillator();
        oscillator.frequency.value = frequency;
        oscillator.connect(gain);
        oscillator.start();
      }

      const ring = (): void => {
        const now = context.currentTime;
        gain.gain.setValueAtTime(Volume, now);
        gain.gain.setValueAtTime(0, now + OnSeconds);
      };
      ring();
      this.timer = setInterval(ring, PeriodSeconds * 1_000);
      this.context = context;
      this.analyser = analyser;
      void context.resume().catch(() => undefined);
    } catch {
      this.stop();
    }
  }

  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }

    void this.context?.close().catch(() => undefined);
    this.context = null;
    this.analyser = null;
  }

  /** The peak amplitude (0 … 1) of what the ring is sending to the speakers right now; 0 when silent or stopped. */
  level(): number {
    if (!this.analyser) {
      return 0;
    }

    const samples = new Float32Array(this.analyser.fftSize);
    this.analyser.getFloatTimeDomainData(samples);
    return samples.reduce((peak, s) => Math.max(peak, Math.abs(s)), 0);
  }
}
