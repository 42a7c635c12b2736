import { describe, expect, it } from "vitest";
import { actionsFor, isTypingTarget, parseWholeNumber, patientLabel, poliLabel, positionLabel, slotHeader } from "./antrean";

describe("antrean vocabulary", () => {
  it("offers each status exactly the transitions the engine allows", () => {
    expect(actionsFor("confirmed")).toEqual(["call", "no_show", "cancel"]);
    expect(actionsFor("waitlisted")).toEqual(["cancel"]);
    expect(actionsFor("in_progress")).toEqual(["complete"]);
    expect(actionsFor("completed")).toEqual([]);
    expect(actionsFor("cancelled")).toEqual([]);
    expect(actionsFor("no_show")).toEqual([]);
  });

  it("words positions, patients, slots and polis", () => {
    expect(positionLabel({ position: 1, waitlist_position: null })).toBe("#1");
    expect(positionLabel({ position: null, waitlist_position: 2 })).toBe("tunggu #2");
    expect(positionLabel({ position: null, waitlist_position: null })).toBe("");
    expect(patientLabel({ norm: "001", name: "Ani" })).toBe("RM 001 · Ani");
    expect(patientLabel({ norm: null, name: "Ani" })).toBe("Ani");
    expect(patientLabel({ norm: null, name: null })).toBe("");
    expect(slotHeader({ start_label: "08:00", end_label: "09:00", occupied: 3, capacity: 4, waitlisted: 2 })).toBe(
      "08:00–09:00 · 3/4 terisi · 2 menunggu",
    );
    expect(poliLabel("ANA", [{ kode: "ANA", nama: "Anak" }])).toBe("Anak (ANA)");
    expect(poliLabel("MAT", [{ kode: "ANA", nama: "Anak" }])).toBe("MAT");
  });

  it("parses whole numbers only", () => {
    expect(parseWholeNumber(" 12 ")).toBe(12);
    expect(parseWholeNumber("0")).toBe(0);
    expect(parseWholeNumber("-1")).toBeNull();
    expect(parseWholeNumber("1.5")).toBeNull();
    expect(parseWholeNumber("")).toBeNull();
  });

  it("knows where a letter is typing, not a shortcut", () => {
    const el = (html: string) => {
      const d = document.createElement("div");
      d.innerHTML = html;
      return d.firstElementChild;
    };
    expect(isTypingTarget(el('<input type="text">'))).toBe(true);
    expect(isTypingTarget(el('<input type="date">'))).toBe(true);
    expect(isTypingTarget(el("<textarea></textarea>"))).toBe(true);
    expect(isTypingTarget(el("<select></select>"))).toBe(true);
    expect(isTypingTarget(el('<input type="checkbox">'))).toBe(false);
    expect(isTypingTarget(el('<input type="radio">'))).toBe(false);
    expect(isTypingTarget(el("<button></button>"))).toBe(false);
    expect(isTypingTarget(document.body)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
